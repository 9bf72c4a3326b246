// Turns a check run into what a learner reads: per check file, the checks that pass and, for each
// failing one, its 🚨 sentences; notes of what was slow. Never a stack trace, a diff, a matcher's
// text or a timeout message.
import type { Reporter, SerializedError, TestCase, TestModule } from 'vitest/node'
import { checkName } from './verdict.js'

/** What kind of failure: the run could not judge (a slow machine or MongoDB), a crash at load, a type error, or a check. */
export type FailureKind = 'environment' | 'crash' | 'types' | 'check'

export interface CheckFailure {
  /** The check file: "03-mongo-store". */
  check: string
  /** The check's full name: "a restart > keeps the session". */
  test: string
  sentence: string
  kind: FailureKind
}

export interface CheckSummary {
  passed: number
  failed: number
  /** The failing checks, in the order they are told (the open step's own check first). */
  failures: CheckFailure[]
}

/** One check file's results against one folder. */
export interface CheckSection {
  /** The vitest project: the folder under test ("steps/03-mongo-store"). */
  project: string
  check: string
  passed: string[]
  failures: CheckFailure[]
  /** What was slow while the checks ran ("⏳ …"), said under the section. */
  notes: string[]
}

/** The phrases of a load crash: said before anything else, since every other 🚨 follows from it. */
const crashPattern = /crashed while loading|did not finish loading|crashed at start|could not be loaded/
/** The check that type-checks a folder, which test/support/workshop.ts adds to its own check file. */
export const typeCheck = { suite: 'TypeScript', test: 'the folder type-checks' }
export const typeCheckName = `${typeCheck.suite} > ${typeCheck.test}`

/** The 🚨 sentences a failed check speaks: each 🚨 line of its message, or one sentence for anything else. */
export function sentencesOf(message: string, test = 'this check'): string[] {
  const lines = message
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
  const marked = lines.filter((line) => line.includes('🚨'))
  if (marked.length > 0) {
    // A 🚨 sentence passed to a matcher comes back followed by the matcher's own words.
    return marked.map((line) =>
      line
        .slice(line.indexOf('🚨'))
        .replace(/:\s+expected .+ to (be|equal|match|contain|include|have|throw|satisfy)\b.*$/, ''),
    )
  }
  const first = lines[0] ?? ''
  if (/^Test timed out in (\d+)ms/.test(first) || /^Hook timed out/.test(first)) {
    return [
      `🚨 "${test}" ran out of time: something it waits for never finished (a route that never answers, an await that never settles), or the machine was too busy to finish it; check again, and if it says the same, look there.`,
    ]
  }
  return [
    `🚨 "${test}" stopped on something it did not expect from your code: ${first.replace(/^(AssertionError|Error): /, '') || 'no message'}.`,
  ]
}

/** The first sentence of a message (see sentencesOf). */
export function sentenceOf(message: string, test = 'this check'): string {
  return sentencesOf(message, test)[0] ?? ''
}

function kindOf(test: string, sentence: string, errorName: string | undefined): FailureKind {
  if (errorName === 'EnvironmentFailure') return 'environment'
  if (crashPattern.test(sentence)) return 'crash'
  return test === typeCheckName ? 'types' : 'check'
}

export class CheckReporter implements Reporter {
  /** Every finished check file, in the order they finished. */
  readonly sections: CheckSection[] = []
  /** Errors outside any check (a worker that died), as sentences. */
  readonly runErrors: string[] = []

  constructor(private readonly onSection: (section: CheckSection) => void = () => {}) {}

  onTestRunStart(): void {
    this.sections.length = 0
    this.runErrors.length = 0
  }

  onTestModuleEnd(module: TestModule): void {
    const check = checkName(module.moduleId)
    const section: CheckSection = { project: module.project.name, check, passed: [], failures: [], notes: [] }
    for (const error of module.errors()) this.fail(section, 'the check file', error)
    for (const test of module.children.allTests()) this.add(section, test)
    this.sections.push(section)
    this.onSection(section)
  }

  onTestRunEnd(_modules: ReadonlyArray<TestModule>, errors: ReadonlyArray<SerializedError>): void {
    for (const error of errors) this.runErrors.push(sentenceOf(error.message ?? String(error), 'the check run'))
  }

  private fail(section: CheckSection, test: string, error: { message?: string; name?: string } | undefined): void {
    for (const sentence of sentencesOf(error?.message ?? '', test)) {
      section.failures.push({ check: section.check, test, sentence, kind: kindOf(test, sentence, error?.name) })
    }
  }

  private add(section: CheckSection, test: TestCase): void {
    const result = test.result()
    const name = test.fullName
    for (const annotation of test.annotations()) {
      if (!section.notes.includes(annotation.message)) section.notes.push(annotation.message)
    }
    if (result.state === 'passed') section.passed.push(name)
    else if (result.state === 'failed') this.fail(section, name, result.errors?.[0])
    else if (result.state !== 'skipped')
      section.failures.push({
        check: section.check,
        test: name,
        sentence: `🚨 "${name}" did not run: the run was stopped.`,
        kind: 'check',
      })
  }
}
