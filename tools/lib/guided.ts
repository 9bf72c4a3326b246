// Guided mode (`npm start`): one step at a time. Its checks run when it opens and again on every
// save in its folder, its own check first, so the verdict that matters comes at once; the checks
// of the earlier steps follow before the step counts as done. When the step turns green, the
// next one opens. Keys: h hint, l list, n next step, r check again, o outage, q quit.
import { join } from 'node:path'
import type { CheckSection, CheckSummary } from './check-reporter.js'
import { fingerprint } from './fingerprint.js'
import { nextHint } from './hint-view.js'
import { loadProgress, passes, updateProgress } from './progress-store.js'
import { continueLine, overall, stepLines } from './progress-view.js'
import { isDone, knownStates, recordVerdict, verdictOf } from './status.js'
import { display, rootDir, type Step } from './steps.js'
import { orderInWords, VerdictTeller } from './verdict.js'
import { type FolderWatcher, watchFolder } from './watch.js'

export const keysLine = 'Keys: h hint · l list · n next step · r check again · o MongoDB outage · q quit'

/** What guided mode needs of a check runner: a step's checks, its own check reported first. */
export interface Checker {
  check(
    step: Step,
    options: { signal: AbortSignal; changed: string[]; onSection(section: CheckSection): void },
  ): Promise<CheckSummary>
}

export interface GuidedOptions {
  steps: Step[]
  checker: Checker
  root?: string
  poll?: boolean
  print?: (line: string) => void
  /** The `o` key: cuts or restores MongoDB for the learner's running server; returns what it did. */
  toggleOutage?: () => Promise<string>
  /** Called once, after q (or the end of input, or a signal) and a clean stop. */
  onQuit?: () => void
}

/** Where guided mode opens: the step asked for, else where the learner stopped, else the first unfinished step. */
export function startingStep(
  steps: Step[],
  asked: Step | undefined,
  root = rootDir,
): { step: Step; auto: boolean } | undefined {
  if (asked) return { step: asked, auto: false }
  const current = steps.find((step) => step.name === loadProgress(root).current)
  if (current) return { step: current, auto: true }
  const unfinished = knownStates(steps, root).find((state) => !isDone(state))
  return unfinished ? { step: unfinished.step, auto: true } : undefined
}

export class GuidedSession {
  private step: Step
  private watcher: FolderWatcher | undefined
  private running: Promise<void> | undefined
  private again = false
  private changed: string[] = []
  private abort = new AbortController()
  private quitting = false
  /** Move on when the step turns green: on for steps opened automatically, and after any red verdict. */
  private advanceWhenGreen = false
  private readonly root: string
  private readonly print: (line: string) => void

  constructor(
    private readonly options: GuidedOptions,
    first: Step,
  ) {
    this.step = first
    this.root = options.root ?? rootDir
    this.print = options.print ?? ((line) => console.log(line))
  }

  get currentStep(): Step {
    return this.step
  }

  open(step: Step, auto: boolean): void {
    this.watcher?.close()
    this.step = step
    this.advanceWhenGreen = auto
    updateProgress((progress) => {
      progress.current = step.name
    }, this.root)
    const { steps } = this.options
    const folder = display(step.stepDir, this.root)
    this.print('')
    this.print(`━━ Step ${step.number} of ${steps.length} · ${step.title} ━━`)
    this.print(`Progress: ${overall(knownStates(steps, this.root))}`)
    this.print(`Lesson:   ${folder}/README.md`)
    this.print(`Your code: ${folder}/ (every save runs the checks again${this.options.poll ? '; polling' : ''})`)
    this.print(`Try it:   npm run step ${step.number} (in another terminal)`)
    this.watcher = watchFolder(step.stepDir, { poll: this.options.poll }, (file) => {
      this.print(`\n↻ ${file ?? 'a file'} saved: checking again…`)
      if (file) this.changed.push(join(step.stepDir, file))
      this.check()
    })
    this.check()
  }

  /** Runs the step's checks now, or right after the run under way. */
  check(): void {
    if (this.quitting) return
    if (this.running) {
      this.again = true
      return
    }
    this.running = this.runOnce().finally(() => {
      this.running = undefined
      if (this.again && !this.quitting) {
        this.again = false
        this.check()
      }
    })
  }

  /** Settles when no check is running or queued. */
  async idle(): Promise<void> {
    while (this.running) await this.running
  }

  private async runOnce(): Promise<void> {
    const step = this.step
    const { steps } = this.options
    const print = fingerprint(step, steps, step.stepDir, this.root)
    const changed = this.changed.splice(0)
    this.print(`\nChecking ${display(step.stepDir, this.root)}: ${orderInWords(step)}…`)
    const teller = new VerdictTeller(step, steps, (line) => this.print(line), 'brief')
    let summary: CheckSummary
    try {
      summary = await this.options.checker.check(step, {
        signal: this.abort.signal,
        changed,
        onSection: (section) => teller.add(section),
      })
    } catch (error) {
      if (this.quitting) return
      this.print(`🚨 The checks could not run: ${(error as Error).message}`)
      return
    }
    if (this.quitting || step !== this.step) return
    const verdict = verdictOf(summary, print)
    const time = new Date().toLocaleTimeString('en-GB')
    if (summary.failures[0]?.kind === 'environment') {
      // Not a verdict on the code: nothing is recorded.
      this.print(
        `❌ ${time}  Step ${step.number} could not be judged: the first 🚨 above says what was too slow. r checks again.`,
      )
      this.print(keysLine)
      return
    }
    recordVerdict(step, verdict, this.root)
    if (!passes(verdict)) {
      this.advanceWhenGreen = true
      const total = summary.passed + summary.failed
      this.print(
        `❌ ${time}  Step ${step.number}: ${summary.failed} of ${total} checks fail. Fix the first 🚨 above and save: the checks run again.`,
      )
      this.print(keysLine)
      return
    }
    this.print(`✅ ${time}  Step ${step.number} is done: all ${summary.passed} checks pass.`)
    const next = steps.find((candidate) => candidate.number === step.number + 1)
    if (!next) {
      this.print(continueLine(knownStates(steps, this.root)))
      this.print(keysLine)
      return
    }
    if (this.advanceWhenGreen) {
      this.open(next, true)
      return
    }
    this.print(`Step ${step.number} already passes: n opens step ${next.number}.`)
    this.print(keysLine)
  }

  key(key: string): void {
    const { steps } = this.options
    switch (key) {
      case 'h':
        this.print('')
        for (const line of nextHint(this.step, {}, this.root)) this.print(line)
        return
      case 'l': {
        const states = knownStates(steps, this.root)
        this.print(`\nProgress: ${overall(states)}`)
        for (const line of stepLines(states, this.step.name)) this.print(`  ${line}`)
        return
      }
      case 'n': {
        const next = steps.find((candidate) => candidate.number === this.step.number + 1)
        if (next) this.open(next, false)
        else this.print(`\nStep ${this.step.number} is the last step.`)
        return
      }
      case 'r':
        this.check()
        return
      case 'o':
        if (!this.options.toggleOutage) {
          this.print('\no: no outage switch here.')
          return
        }
        void this.options.toggleOutage().then((said) => this.print(`\n${said}`))
        return
      case 'q':
        void this.quit()
        return
      default:
        this.print(keysLine)
    }
  }

  async quit(): Promise<void> {
    if (this.quitting) return
    this.quitting = true
    this.watcher?.close()
    this.abort.abort()
    await this.running?.catch(() => {})
    this.print(`\nBye. npm start opens step ${this.step.number} again; npm run progress shows every step.`)
    this.options.onQuit?.()
  }
}
