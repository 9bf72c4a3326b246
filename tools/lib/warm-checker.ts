// Guided mode's check runner: vitest started once, with a project for every step, and kept warm
// between saves, so a save pays for the checks and not for starting the test runner again.
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { CheckSection, CheckSummary } from './check-reporter.js'
import { OwnCheckFirst } from './check-printer.js'
import type { Checker } from './guided.js'
import { CheckRunner, checkFilesFor } from './run-checks.js'
import type { Step } from './steps.js'

/** The step folder's TypeScript files, by absolute path. */
function codeFilesOf(dir: string): string[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(dir, file))
}

export class WarmChecker implements Checker {
  private runner: Promise<CheckRunner> | undefined

  constructor(
    private readonly steps: Step[],
    private readonly mongoUrl: string,
  ) {}

  async check(
    step: Step,
    options: { signal: AbortSignal; changed: string[]; onSection(section: CheckSection): void },
  ): Promise<CheckSummary> {
    this.runner ??= CheckRunner.create(
      this.steps.map((candidate) => ({ step: candidate, dir: candidate.stepDir })),
      this.steps,
      { mongoUrl: this.mongoUrl, ownSignals: true },
    )
    const runner = await this.runner
    // An editor may save several files at once and the watcher names one: every file of the
    // folder is loaded afresh (only the changed ones cost anything to transform again).
    runner.invalidate([...new Set([...options.changed, ...codeFilesOf(step.stepDir)])])
    const checks = checkFilesFor(step, this.steps).map((file) =>
      file.replace(/^.*[\\/]/, '').replace(/\.test\.ts$/, ''),
    )
    const order = new OwnCheckFirst(checks, step.name, options.onSection)
    // The step's own check alone first, with the machine to itself: its verdict is the one the
    // learner waits for. Then the earlier steps' checks, which must pass too.
    const files = checkFilesFor(step, this.steps)
    const target = { step, dir: step.stepDir }
    const summaries: CheckSummary[] = []
    for (const phase of [files.slice(-1), files.slice(0, -1)]) {
      if (phase.length === 0 || options.signal.aborted) continue
      const [summary] = await runner.run([target], {
        signal: options.signal,
        files: phase,
        onSection: (_target, section) => order.add(section),
      })
      if (summary) summaries.push(summary)
    }
    return {
      passed: summaries.reduce((sum, summary) => sum + summary.passed, 0),
      failed: summaries.reduce((sum, summary) => sum + summary.failed, 0),
      failures: summaries.flatMap((summary) => summary.failures),
    }
  }

  async close(): Promise<void> {
    await (await this.runner)?.close()
  }
}
