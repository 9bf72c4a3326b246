// Loaded first into a server.ts the checks run (node --import): on SIGUSR2 it prints what keeps
// the process alive, so a check can name it (a timer, an open connection, a server still
// listening) instead of guessing; and it ends the process when its parent is gone. Plain
// JavaScript: it runs before TypeScript is loaded.
process.on('SIGUSR2', () => {
  const quiet = new Set(['PipeWrap', 'TTYWrap', 'SignalWrap'])
  const kept = process.getActiveResourcesInfo().filter((kind) => !quiet.has(kind))
  process.stderr.write(`\n[alive] ${kept.join(',')}\n`)
})

// A server.ts a check started never outlives the check run: when the process that started it is
// gone (a run cut short, so no afterEach killed it), it ends too instead of holding its port.
const parent = process.ppid
setInterval(() => {
  if (process.ppid !== parent) process.exit(1)
}, 500).unref()
