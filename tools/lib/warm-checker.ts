// Guided mode's check runner: vitest started once, with a project for every step, and kept warm
// between saves, so a save pays for the checks and not for starting the test runner again.
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { CheckSection, CheckSummary } from './check-reporter.js'
import type { Checker } from './guided.js'
import { CheckRunner } from './run-checks.js'
import type { Step } from './steps.js'
import { checkFilesFor } from './verdict.js'

/** The step folder's TypeScript files, by absolute path. */
function codeFilesOf(dir: string): string[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(dir, file))
}

export class WarmChecker implements Checker {
  private runner: { withMongo: boolean; ready: Promise<CheckRunner> } | undefined

  /** `mongoUrl` is asked for once, when the first step that keeps sessions in MongoDB is checked. */
  constructor(
    private readonly steps: Step[],
    private readonly mongoUrl: () => Promise<string>,
  ) {}

  /** The warm runner: without MongoDB for the first steps, started again with it once a step needs it. */
  private async runnerFor(step: Step): Promise<CheckRunner> {
    if (this.runner && (this.runner.withMongo || !step.usesMongo)) return this.runner.ready
    const previous = this.runner?.ready
    const withMongo = step.usesMongo
    const ready = (async () => {
      await (await previous?.catch(() => undefined))?.close()
      const mongoUrl = withMongo ? await this.mongoUrl() : undefined
      const targets = this.steps
        .filter((candidate) => withMongo || !candidate.usesMongo)
        .map((candidate) => ({ step: candidate, dir: candidate.stepDir }))
      return CheckRunner.create(targets, this.steps, { mongoUrl, ownSignals: true })
    })()
    this.runner = { withMongo, ready }
    return ready
  }

  async check(
    step: Step,
    options: { signal: AbortSignal; changed: string[]; onSection(section: CheckSection): void },
  ): Promise<CheckSummary> {
    const runner = await this.runnerFor(step)
    // An editor may save several files at once and the watcher names one: every file of the
    // folder is loaded afresh (only the changed ones cost anything to transform again).
    runner.invalidate([...new Set([...options.changed, ...codeFilesOf(step.stepDir)])])
    // The step's own check alone first, with the machine to itself: its verdict is the one the
    // learner waits for. Then the earlier steps' checks, which must pass too.
    const [own, ...earlier] = checkFilesFor(step, this.steps)
    const target = { step, dir: step.stepDir }
    const summaries: CheckSummary[] = []
    for (const phase of [[own ?? ''], earlier]) {
      if (phase.length === 0 || options.signal.aborted) continue
      const [summary] = await runner.run([target], {
        signal: options.signal,
        files: phase,
        onSection: (_target, section) => options.onSection(section),
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
    await (await this.runner?.ready.catch(() => undefined))?.close()
  }
}
