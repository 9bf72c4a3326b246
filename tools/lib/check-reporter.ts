// Turns a check run into what a learner reads: per check file, ✓ or ✗ per check, and for each
// failing one its 🚨 sentence. Never a stack trace, a diff, a matcher's text or a timeout message.
import type { Reporter, SerializedError, TestCase, TestModule } from 'vitest/node'

export interface CheckFailure {
  /** The check file: "03-mongo-store". */
  check: string
  /** The check's full name: "a restart > keeps the session". */
  test: string
  sentence: string
}

export interface CheckSummary {
  passed: number
  failed: number
  /** The failing checks, in the order they are printed (the open step's own check first). */
  failures: CheckFailure[]
}

/** One check file's results against one folder. */
export interface CheckSection {
  /** The vitest project: the folder under test ("steps/03-mongo-store"). */
  project: string
  check: string
  passed: string[]
  failures: CheckFailure[]
}

export function emptySummary(): CheckSummary {
  return { passed: 0, failed: 0, failures: [] }
}

/** The phrases of a load crash: said before anything else, since every other 🚨 follows from it. */
const crashPattern = /crashed while loading|did not finish loading|crashed at start|could not be loaded/

/** The one sentence a failed check speaks. */
export function sentenceOf(message: string, test = 'this check'): string {
  const lines = message
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
  const marked = lines.find((line) => line.includes('🚨'))
  if (marked) {
    // A 🚨 sentence passed to a matcher comes back followed by the matcher's own words.
    return marked
      .slice(marked.indexOf('🚨'))
      .replace(/:\s+expected .+ to (be|equal|match|contain|include|have|throw|satisfy)\b.*$/, '')
  }
  const first = lines[0] ?? ''
  if (/^Test timed out in (\d+)ms/.test(first) || /^Hook timed out/.test(first)) {
    return `🚨 "${test}" did not finish in time: something in your code never answers or never finishes (a request without res.send or next(error), an await that never settles).`
  }
  return `🚨 "${test}" stopped on something it did not expect from your code: ${first.replace(/^(AssertionError|Error): /, '') || 'no message'}.`
}

/** The check file's name from its path: "test/03-mongo-store.test.ts" → "03-mongo-store". */
export function checkName(moduleId: string): string {
  return moduleId.replace(/^.*[\\/]/, '').replace(/\.test\.ts$/, '')
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
    const section: CheckSection = { project: module.project.name, check, passed: [], failures: [] }
    for (const error of module.errors()) {
      section.failures.push({
        check,
        test: 'the check file',
        sentence: sentenceOf(error.message ?? '', 'the check file'),
      })
    }
    for (const test of module.children.allTests()) this.add(section, test)
    // A crash at load comes first: it is the one to fix, and the others often follow from it.
    section.failures.sort((a, b) => Number(crashPattern.test(b.sentence)) - Number(crashPattern.test(a.sentence)))
    this.sections.push(section)
    this.onSection(section)
  }

  onTestRunEnd(_modules: ReadonlyArray<TestModule>, errors: ReadonlyArray<SerializedError>): void {
    for (const error of errors) this.runErrors.push(sentenceOf(error.message ?? String(error), 'the check run'))
  }

  private add(section: CheckSection, test: TestCase): void {
    const result = test.result()
    const name = test.fullName
    if (result.state === 'passed') section.passed.push(name)
    else if (result.state === 'failed')
      section.failures.push({
        check: section.check,
        test: name,
        sentence: sentenceOf(result.errors?.[0]?.message ?? '', name),
      })
    else if (result.state !== 'skipped')
      section.failures.push({
        check: section.check,
        test: name,
        sentence: `🚨 "${name}" did not run: the run was stopped.`,
      })
  }
}

/** The lines of one check file's results, as printed. Repeated sentences are said once. */
export function sectionLines(section: CheckSection): string[] {
  const lines = [`Check ${section.check}`]
  const failedNames = new Set(section.failures.map((failure) => failure.test))
  for (const name of section.passed) if (!failedNames.has(name)) lines.push(`  ✓ ${name}`)
  const said = new Set<string>()
  for (const failure of section.failures) {
    lines.push(`  ✗ ${failure.test}`)
    lines.push(said.has(failure.sentence) ? '    (the same 🚨 as above)' : `    ${failure.sentence}`)
    said.add(failure.sentence)
  }
  return lines
}

/** Sums up sections of one project, the open step's own check first. */
export function summarize(sections: CheckSection[], ownCheck: string): CheckSummary {
  const ordered = orderSections(sections, ownCheck)
  return {
    passed: ordered.reduce((sum, section) => sum + section.passed.length, 0),
    failed: ordered.reduce((sum, section) => sum + section.failures.length, 0),
    failures: ordered.flatMap((section) => section.failures),
  }
}

/** The open step's own check first, then the others in step order. */
export function orderSections(sections: CheckSection[], ownCheck: string): CheckSection[] {
  return [...sections].sort(
    (a, b) => Number(b.check === ownCheck) - Number(a.check === ownCheck) || a.check.localeCompare(b.check),
  )
}
