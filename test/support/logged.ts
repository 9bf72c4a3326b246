// What the learner's app logged with console.error (its error handler logs what it answers 500
// for), kept a short while, so a check can say why an answer was a 500.
const kept: Array<{ at: number; error: unknown }> = []
const original = console.error.bind(console)

console.error = (...args: unknown[]) => {
  for (const arg of args) if (arg instanceof Error) kept.push({ at: Date.now(), error: arg })
  if (kept.length > 50) kept.splice(0, kept.length - 50)
  original(...args)
}

/** The errors logged since the given time (ms since 1970). */
export function loggedSince(since: number): unknown[] {
  return kept.filter((entry) => entry.at >= since).map((entry) => entry.error)
}
