// Prints a check run for a learner: one line per check, and for each failing one the 🚨 sentence
// that says what to change. No stack traces, no diffs.
import type { Reporter, TestCase, TestModule } from 'vitest/node'

export interface CheckSummary {
  passed: number
  failed: number
  /** The 🚨 sentences, in order. */
  messages: string[]
}

/** The sentence a failing check speaks: the 🚨 line of its error, else its first line. */
export function sentenceOf(message: string): string {
  const lines = message.split('\n').map((line) => line.trim()).filter(Boolean)
  const line = lines.find((candidate) => candidate.includes('🚨')) ?? lines[0] ?? 'failed without a message'
  const start = line.indexOf('🚨')
  const sentence = start >= 0 ? line.slice(start) : `🚨 ${line}`
  // vitest appends its own assertion text ("msg: expected 404 to be 200 // Object.is equality").
  return sentence.replace(/\.?: (expected .*?)(?: \/\/ Object\.is equality)?$/, '. (Seen: $1.)')
}

export class CheckReporter implements Reporter {
  summary: CheckSummary = { passed: 0, failed: 0, messages: [] }

  constructor(private readonly print: (line: string) => void = (line) => console.log(line)) {}

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const modules = [...testModules].sort((a, b) => a.relativeModuleId.localeCompare(b.relativeModuleId))
    for (const module of modules) {
      const name = module.relativeModuleId.replace(/^test\//, '').replace(/\.test\.ts$/, '')
      this.print(`\nCheck ${name}`)
      for (const error of module.errors()) this.fail(`could not run`, error.message)
      for (const test of module.children.allTests()) this.report(test)
    }
  }

  private report(test: TestCase): void {
    const result = test.result()
    const label = test.fullName
    if (result.state === 'passed') {
      this.summary.passed++
      this.print(`  ✓ ${label}`)
    } else if (result.state === 'failed') {
      this.fail(label, result.errors[0]?.message ?? '')
    } else {
      this.fail(label, 'did not run')
    }
  }

  private fail(label: string, message: string): void {
    const sentence = sentenceOf(message)
    this.summary.failed++
    this.summary.messages.push(sentence)
    this.print(`  ✗ ${label}\n    ${sentence}`)
  }
}
