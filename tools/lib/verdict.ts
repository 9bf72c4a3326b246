// The order in which a step's verdict is told, in one place: the step's own check first (its
// verdict is the one the learner waits for), then the earlier steps' checks in step order, each
// 🚨 sentence said once. The runner, `npm run check`, guided mode and progress all follow it.
import type { CheckFailure, CheckSection, CheckSummary } from './check-reporter.js'
import type { Step } from './steps.js'

/** The checks a step answers to, in the order they are run and told: its own, then 1, 2, … */
export function checkOrder(step: Step, steps: Step[]): Step[] {
  const earlier = steps.filter((candidate) => candidate.number < step.number)
  return [step, ...earlier]
}

/** Their check files (absolute paths), in that order. */
export function checkFilesFor(step: Step, steps: Step[]): string[] {
  return checkOrder(step, steps).map((check) => check.checkFile)
}

/** The check file's name from its path: "test/03-mongo-store.test.ts" → "03-mongo-store". */
export function checkName(moduleId: string): string {
  return moduleId.replace(/^.*[\\/]/, '').replace(/\.test\.ts$/, '')
}

/** "check 03 first, then check 01" / "check 05 first, then checks 1 to 4": what runs, in words. */
export function orderInWords(step: Step): string {
  const own = `check ${step.id}`
  if (step.number === 1) return own
  return step.number === 2 ? `${own} first, then check 01` : `${own} first, then checks 1 to ${step.number - 1}`
}

/**
 * A failure's rank within its check file: what blocks judging comes first (a slow run, a crash),
 * then what the code does wrong, then the compiler's complaints (often the same mistake, seen from
 * the types: an unused name that was meant to be passed on).
 */
function rank(failure: CheckFailure): number {
  return { environment: 0, crash: 1, check: 2, types: 3 }[failure.kind]
}

/** Sections (check files) in the order they are told: the step's own check first, then by step. */
export function orderSections(sections: CheckSection[], own: string): CheckSection[] {
  return [...sections].sort(
    (a, b) => Number(b.check === own) - Number(a.check === own) || a.check.localeCompare(b.check),
  )
}

/** A check file's failures, the ones that block judging first. */
export function orderFailures(failures: CheckFailure[]): CheckFailure[] {
  return [...failures].sort((a, b) => rank(a) - rank(b))
}

/** How many checks of a section failed: a check with several 🚨 sentences (a type-check) counts once. */
function failedChecks(section: CheckSection): number {
  return new Set(section.failures.map((failure) => failure.test)).size
}

/** Sums up one folder's sections, in the order they are told. */
export function summarize(sections: CheckSection[], own: string): CheckSummary {
  const ordered = orderSections(sections, own)
  return {
    passed: ordered.reduce((sum, section) => sum + section.passed.length, 0),
    failed: ordered.reduce((sum, section) => sum + failedChecks(section), 0),
    failures: ordered.flatMap((section) => orderFailures(section.failures)),
  }
}

export function emptySummary(): CheckSummary {
  return { passed: 0, failed: 0, failures: [] }
}

/**
 * Tells check files as they finish, in the verdict's order (the own check as soon as it is known,
 * then the earlier ones in step order), each 🚨 said once. `full`: every check with ✓ or ✗ (npm run
 * check); `brief`: the own check's count and the failures only (guided mode).
 */
export class VerdictTeller {
  private readonly waiting = new Map<string, CheckSection>()
  private readonly order: string[]
  private next = 0
  private readonly said = new Set<string>()

  constructor(
    step: Step,
    steps: Step[],
    private readonly print: (line: string) => void,
    private readonly style: 'full' | 'brief' = 'full',
  ) {
    this.order = checkOrder(step, steps).map((check) => check.name)
  }

  add(section: CheckSection): void {
    this.waiting.set(section.check, section)
    while (this.next < this.order.length) {
      const section = this.waiting.get(this.order[this.next] ?? '')
      if (!section) return
      this.waiting.delete(section.check)
      this.next++
      for (const line of this.linesOf(section, this.next === 1)) this.print(line)
    }
  }

  private linesOf(section: CheckSection, own: boolean): string[] {
    const failures = orderFailures(section.failures)
    const lines: string[] = []
    if (this.style === 'full') {
      lines.push('', `Check ${section.check}`)
      const failed = new Set(failures.map((failure) => failure.test))
      for (const name of section.passed) if (!failed.has(name)) lines.push(`  ✓ ${name}`)
    } else if (own) {
      const failed = failedChecks(section)
      const total = section.passed.length + failed
      const id = section.check.slice(0, 2)
      lines.push(
        failed === 0
          ? `  ✓ check ${id} passes (${total} ${total === 1 ? 'check' : 'checks'})`
          : `  ✗ check ${id}: ${failed} of ${total} fail`,
      )
    }
    let previous: CheckFailure | undefined
    for (const failure of failures) {
      // What was too slow is said once, however its figures moved since.
      const key = failure.kind === 'environment' ? 'environment' : failure.sentence
      // A check with several 🚨 sentences (a type-check) is named once, above all of them.
      if (previous?.test !== failure.test || previous.check !== failure.check) {
        lines.push(this.style === 'full' ? `  ✗ ${failure.test}` : `  ✗ ${failure.check} › ${failure.test}`)
      }
      previous = failure
      lines.push(`    ${this.said.has(key) ? '(the same 🚨 as above)' : failure.sentence}`)
      this.said.add(key)
    }
    for (const note of section.notes) if (!this.said.has(note)) lines.push(`  ${note}`)
    for (const note of section.notes) this.said.add(note)
    return lines
  }
}
