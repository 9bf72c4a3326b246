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
    const [summary] = await runner.run([{ step, dir: step.stepDir }], {
      signal: options.signal,
      onSection: (_target, section) => order.add(section),
    })
    return summary ?? { passed: 0, failed: 0, failures: [] }
  }

  async close(): Promise<void> {
    await (await this.runner)?.close()
  }
}
