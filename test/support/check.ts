// How a check speaks: a failure is one 🚨 sentence the learner can act on (never a matcher's
// text); a slow machine or database is its own kind of failure, said first and once; a note says
// what was slow when a check still passed.
import { TestRunner } from 'vitest'

/** A failed check. Its message is exactly what the learner reads: one 🚨 sentence, or several lines of them. */
export class CheckFailure extends Error {
  override name = 'CheckFailure'
}

/**
 * The check could not be judged fairly: the machine or MongoDB was too slow. It blames no code,
 * and the report puts it first, once.
 */
export class EnvironmentFailure extends CheckFailure {
  override name = 'EnvironmentFailure'
}

const marked = (sentence: string) => (sentence.startsWith('🚨') ? sentence : `🚨 ${sentence}`)

/** Fails the check with one sentence: what is wrong, what to change, where. */
export function fail(sentence: string): never {
  throw new CheckFailure(marked(sentence))
}

/** Fails with the sentence unless the condition holds. */
export function must(condition: unknown, sentence: string): asserts condition {
  if (!condition) fail(sentence)
}

/** Fails without blaming the code: what was slow, how slow, and what would help. */
export function failSlow(sentence: string): never {
  throw new EnvironmentFailure(marked(sentence))
}

/** A note shown under a check that passed or failed for its own reasons ("⏳ it was slow because …"). */
export function note(sentence: string): void {
  void TestRunner.getCurrentTest()
    ?.context.annotate(sentence, 'notice')
    .catch(() => {})
}

/** What run() throws, as its message; '' when it does not throw (the checks of settings refused). */
export function thrownBy(run: () => unknown): string {
  try {
    run()
    return ''
  } catch (error) {
    return (error as Error).message ?? String(error)
  }
}

/** Waits until check() is true, every intervalMs, at most timeoutMs; resolves with whether it became true. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  intervalMs = 25,
): Promise<boolean> {
  const until = Date.now() + timeoutMs
  for (;;) {
    if (await check()) return true
    if (Date.now() >= until) return false
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}
