// Runs the workshop's checks in this process, the way `npm run check N` does, and returns what
// they found. Several folders can be checked in one run (one vitest project each), which is how
// `npm run progress` checks every step at once.
import type { TestProjectConfiguration } from 'vitest/config'
import { createVitest } from 'vitest/node'
import { CheckReporter, emptySummary, type CheckSummary } from './check-reporter.js'
import { UserError } from './errors.js'
import { display, rootDir, type Step } from './steps.js'

export interface CheckTarget {
  step: Step
  /** The folder under test: the learner's steps/NN or solutions/NN. */
  dir: string
}

export interface RunChecksOptions {
  /** Receives the report line by line (default: nothing is printed). */
  print?: (line: string) => void
  /** Stops a run that is under way (guided mode quitting mid-run). */
  signal?: AbortSignal
  /**
   * The caller handles Ctrl+C and SIGTERM itself (guided mode). Otherwise vitest's own handlers
   * end the whole process when a signal arrives during a run.
   */
  ownSignals?: boolean
}

/** The check files a step answers to: its own and every earlier one (checks are cumulative). */
export function checkFilesFor(step: Step, steps: Step[]): string[] {
  return steps.filter((candidate) => candidate.number <= step.number).map((candidate) => display(candidate.checkFile))
}

/** Runs checks 1..N against each target's folder; one summary per target, in the same order. */
export async function runChecks(
  targets: CheckTarget[],
  steps: Step[],
  options: RunChecksOptions = {},
): Promise<CheckSummary[]> {
  if (targets.length === 0) return []
  const projects: TestProjectConfiguration[] = targets.map((target) => ({
    extends: true,
    test: {
      name: display(target.dir),
      include: checkFilesFor(target.step, steps),
      // The check files read the folder under test from here (test/support/workshop.ts).
      env: { WORKSHOP_DIR: display(target.dir) },
    },
  }))
  const reporter = new CheckReporter(options.print ?? (() => {}))
  // What startVitest() sets before a run, for code that looks at it.
  process.env.TEST = 'true'
  process.env.VITEST = 'true'
  process.env.NODE_ENV ??= 'test'
  // vitest's logger ends the process on SIGINT/SIGTERM. A caller that owns its signals has each
  // of those handlers removed as it is added, in a microtask: no signal can arrive in between.
  const strip = (event: string | symbol, listener: (...args: unknown[]) => void) => {
    if (event === 'SIGINT' || event === 'SIGTERM') queueMicrotask(() => process.off(event, listener))
  }
  if (options.ownSignals) process.on('newListener', strip)
  let vitest: Awaited<ReturnType<typeof createVitest>>
  try {
    vitest = await createVitest('test', {
      root: rootDir,
      config: false,
      watch: false,
      globalSetup: ['test/support/global-setup.ts'],
      testTimeout: 30_000,
      hookTimeout: 30_000,
      reporters: [reporter],
      projects,
    })
  } finally {
    process.off('newListener', strip)
  }
  const abort = () => void vitest.cancelCurrentRun('keyboard-input')
  options.signal?.addEventListener('abort', abort, { once: true })
  try {
    if (!options.signal?.aborted) await vitest.start([])
  } catch (error) {
    // The global setup's resolver speaks in sentences (a UserError, loaded anew by vitest, so
    // recognised by name): pass the sentence on instead of vitest's stack trace.
    if (error instanceof Error && error.name === 'UserError') throw new UserError(error.message)
    throw error
  } finally {
    options.signal?.removeEventListener('abort', abort)
    await vitest.close()
  }
  return targets.map((target) => reporter.byProject.get(display(target.dir)) ?? emptySummary())
}
