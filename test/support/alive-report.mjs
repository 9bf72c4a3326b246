// Loaded first into a server.ts the checks run (node --import): on SIGUSR2 it prints what keeps
// the process alive, so a check can name it (a timer, an open connection, a server still
// listening) instead of guessing. Plain JavaScript: it runs before TypeScript is loaded.
process.on('SIGUSR2', () => {
  const quiet = new Set(['PipeWrap', 'TTYWrap', 'SignalWrap'])
  const kept = process.getActiveResourcesInfo().filter((kind) => !quiet.has(kind))
  process.stderr.write(`\n[alive] ${kept.join(',')}\n`)
})
