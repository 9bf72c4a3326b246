// Prints a check run for a learner: one line per check, and for each failing one the 🚨 sentence
// that says what to change. No stack traces, no diffs.
import type { Reporter, TestCase, TestModule } from 'vitest/node'

export interface CheckSummary {
  passed: number
  failed: number
  /** The 🚨 sentences, in order. */
  messages: string[]
  /** Each failing check: its file ("03-mongo-store"), its name, and its 🚨 sentence. */
  failures: CheckFailure[]
}

export interface CheckFailure {
  check: string
  test: string
  sentence: string
}

export function emptySummary(): CheckSummary {
  return { passed: 0, failed: 0, messages: [], failures: [] }
}

/** The sentence a failing check speaks: the 🚨 line of its error, else its first line. */
export function sentenceOf(message: string): string {
  const lines = message
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
  const line = lines.find((candidate) => candidate.includes('🚨')) ?? lines[0] ?? 'failed without a message'
  const start = line.indexOf('🚨')
  const sentence = start >= 0 ? line.slice(start) : `🚨 ${line}`
  // vitest appends its own assertion text ("msg: expected 404 to be 200 // Object.is equality").
  return sentence.replace(/\.?: (expected .*?)(?: \/\/ Object\.is equality)?$/, '. (Seen: $1.)')
}

export class CheckReporter implements Reporter {
  /** All projects together. */
  summary: CheckSummary = emptySummary()
  /** One summary per vitest project (one project per folder checked; see run-checks.ts). */
  readonly byProject = new Map<string, CheckSummary>()

  constructor(private readonly print: (line: string) => void = (line) => console.log(line)) {}

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const modules = [...testModules].sort(
      (a, b) => a.project.name.localeCompare(b.project.name) || a.relativeModuleId.localeCompare(b.relativeModuleId),
    )
    for (const module of modules) {
      const name = module.relativeModuleId.replace(/^test\//, '').replace(/\.test\.ts$/, '')
      const project = this.projectSummary(module.project.name)
      this.print(`\nCheck ${name}`)
      for (const error of module.errors()) this.fail(project, name, `could not run`, error.message)
      for (const test of module.children.allTests()) this.report(project, name, test)
    }
  }

  private projectSummary(name: string): CheckSummary {
    let summary = this.byProject.get(name)
    if (!summary) {
      summary = emptySummary()
      this.byProject.set(name, summary)
    }
    return summary
  }

  private report(project: CheckSummary, check: string, test: TestCase): void {
    const result = test.result()
    const label = test.fullName
    if (result.state === 'passed') {
      this.summary.passed++
      project.passed++
      this.print(`  ✓ ${label}`)
    } else if (result.state === 'failed') {
      this.fail(project, check, label, result.errors[0]?.message ?? '')
    } else {
      this.fail(project, check, label, 'did not run')
    }
  }

  private fail(project: CheckSummary, check: string, label: string, message: string): void {
    const sentence = sentenceOf(message)
    for (const summary of [this.summary, project]) {
      summary.failed++
      summary.messages.push(sentence)
      summary.failures.push({ check, test: label, sentence })
    }
    this.print(`  ✗ ${label}\n    ${sentence}`)
  }
}
