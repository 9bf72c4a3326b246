// The workshop proves itself both ways (as rustlings does). Every starter is the previous step's
// solution plus 🐨 tasks and no code of its own, so it passes the earlier checks exactly as that
// solution does (which its project in vitest.config.ts proves), and it must FAIL its own check.
// Every mistake in the catalogue, applied to a solution, must make the check that catches it fail
// with a first 🚨 that names it. Each step carries at most six tasks, a lesson of at most about
// 1,500 words, and a ladder of hints per task, tied to the checks that prove it.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type CheckSummary, typeCheckName } from '../../tools/lib/check-reporter.js'
import { parseHints } from '../../tools/lib/hints.js'
import { type CheckTarget, runChecks } from '../../tools/lib/run-checks.js'
import { listSteps, rootDir, type Step } from '../../tools/lib/steps.js'
import { codeOf } from '../support/code.js'
import { mongoUrl } from '../support/workshop.js'
import { type Mistake, mistakes } from './mistakes.js'

const steps = listSteps()
const codeFiles = (dir: string) =>
  readdirSync(dir)
    .filter((file) => file.endsWith('.ts'))
    .sort()
const read = (...parts: string[]) => readFileSync(join(...parts), 'utf8')

describe('the steps', () => {
  it('are numbered 01, 02, … without gaps, each with a starter, a solution, a lesson, hints and a check file', () => {
    expect(steps.length).toBeGreaterThanOrEqual(4)
    for (const [index, step] of steps.entries()) {
      expect(step.number).toBe(index + 1)
      expect(codeFiles(step.stepDir), `steps/${step.name} and solutions/${step.name} hold the same code files`).toEqual(
        codeFiles(step.solutionDir),
      )
      expect(existsSync(join(step.stepDir, 'README.md')), `steps/${step.name}/README.md`).toBe(true)
      expect(existsSync(join(step.stepDir, 'hints.md')), `steps/${step.name}/hints.md`).toBe(true)
      expect(existsSync(join(step.solutionDir, 'README.md')), `the lesson lives in steps/${step.name} only`).toBe(false)
      expect(read(step.checkFile)).toContain(`checkedStep('${step.name}')`)
    }
  })
})

for (const step of steps) {
  describe(`steps/${step.name}`, () => {
    const starter = Object.fromEntries(codeFiles(step.stepDir).map((file) => [file, read(step.stepDir, file)]))
    const code = Object.values(starter).join('\n')

    if (step.number > 1) {
      it(`is solutions/${steps[step.number - 2]?.name}'s code, with tasks in comments and no code of its own (but what it gives)`, () => {
        const previous = (steps[step.number - 2] as Step).solutionDir
        for (const [file, source] of Object.entries(starter)) {
          const before = existsSync(join(previous, file)) ? codeOf(read(previous, file)) : ''
          // A file that says it is given (a workaround, not a task) is the solution's own, as it is.
          const given = before === '' && source.startsWith('// Given')
          const expected = given ? codeOf(read(step.solutionDir, file)) : before
          expect(codeOf(source), `steps/${step.name}/${file}`).toBe(expected)
        }
      })
    }

    it('has 1 to 6 🐨 tasks, numbered once each, and no 💰 code in its files', () => {
      const marks = [...code.matchAll(/🐨\s*(\d+)\./g)].map((match) => Number(match[1]))
      expect(code.split('🐨').length - 1, 'every 🐨 is a numbered task').toBe(marks.length)
      expect(marks.length).toBeGreaterThanOrEqual(1)
      expect(marks.length).toBeLessThanOrEqual(6)
      expect([...marks].sort((a, b) => a - b)).toEqual(marks.map((_, index) => index + 1))
      expect(code).not.toContain('💰')
    })

    it('has a lesson of at most about 1,500 words that runs and checks the step, with no code of the tasks', () => {
      const lesson = read(step.stepDir, 'README.md')
      expect(lesson).toMatch(new RegExp(`^# ${step.id} · \\S`))
      expect(lesson).toContain(`npm run step ${step.number}`)
      expect(lesson).toContain(`npm run check ${step.number}`)
      expect(lesson).not.toContain('💰')
      expect(lesson.split(/\s+/).filter(Boolean).length).toBeLessThanOrEqual(1600)
    })

    it('has a ladder of hints for every task, tied to the checks that prove it', () => {
      const tasks = parseHints(read(step.stepDir, 'hints.md'))
      const marks = [...code.matchAll(/🐨\s*(\d+)\./g)].map((match) => Number(match[1]))
      expect(tasks.map((task) => task.task)).toEqual(marks.sort((a, b) => a - b))
      const check = read(step.checkFile)
      // Every check file also type-checks its folder (the harness adds that check).
      const names = [...checkNames(check), typeCheckName]
      const proven = new Set<string>()
      for (const task of tasks) {
        expect(
          task.rungs.map((rung) => rung.slice(0, 2)),
          `🐨 ${task.task}: a nudge, the API, the code`,
        ).toEqual(['💡', '📖', '💰'])
        expect(task.checkedBy.length, `🐨 ${task.task} names the checks that prove it`).toBeGreaterThan(0)
        for (const name of task.checkedBy) {
          expect(names, `🐨 ${task.task}: "${name}" is a check of test/${step.name}.test.ts`).toContain(name)
          proven.add(name)
        }
      }
      expect(
        names.filter((name) => !proven.has(name) && name !== typeCheckName),
        'every check proves some task',
      ).toEqual([])
    })

    it("gives in its 💰 rungs the solution's code, so that a learner who copies them passes", () => {
      const solution = codeFiles(step.solutionDir)
        .map((file) => read(step.solutionDir, file))
        .join('\n')
      expect(
        hintCodeNotInSolution(read(step.stepDir, 'hints.md'), solution),
        `steps/${step.name}/hints.md: lines of 💰 code that solutions/${step.name} does not have`,
      ).toEqual([])
    })
  })
}

/**
 * The lines of the code blocks in a step's 💰 rungs that are not in its solution, trimmed; a block
 * whose rung says "a later task changes this code" shows a stage on the way, and is left out.
 */
function hintCodeNotInSolution(hints: string, solution: string): string[] {
  const lines = new Set(solution.split('\n').map((line) => line.trim()))
  const missing: string[] = []
  let previousEnd = 0
  for (const block of hints.matchAll(/```ts\n([\s\S]*?)```/g)) {
    const before = hints.slice(previousEnd, block.index)
    previousEnd = (block.index ?? 0) + block[0].length
    if (/a later task changes this\s+code/.test(before)) continue
    for (const line of (block[1] ?? '').split('\n').map((each) => each.trim())) {
      if (line && !lines.has(line)) missing.push(line)
    }
  }
  return missing
}

/** The full names ("describe > it") of a check file's tests, read from its source. */
function checkNames(source: string): string[] {
  const names: string[] = []
  let current = ''
  const title = String.raw`(['"\`])((?:\\.|(?!\1).)*)\1`
  for (const line of source.split('\n')) {
    const describe = new RegExp(`^describe(?:\\.concurrent)?\\(${title}`).exec(line)
    if (describe) current = unquote(describe[2] ?? '')
    const test = new RegExp(`^\\s+it\\(${title}`).exec(line)
    if (test) names.push(`${current} > ${unquote(test[2] ?? '')}`)
  }
  return names
}

function unquote(text: string): string {
  return text.replace(/\\(['"`\\])/g, '$1')
}

describe('the starters fail their own check, and every mistake gets the 🚨 that names it', () => {
  const mutantRoot = join(rootDir, '.workshop')
  const folders: string[] = []
  let summaries = new Map<string, CheckSummary>()
  const bySlug = (slug: string) => {
    const step = steps.find((candidate) => candidate.slug === slug)
    if (!step) throw new Error(`steps.json has no step "${slug}"`)
    return step
  }

  /** A copy of the step's solution with the mistake made, at the depth of a step folder. */
  function mutant(mistake: Mistake, index: number): string {
    const step = bySlug(mistake.step)
    const dir = join(mutantRoot, `mistake-${String(index).padStart(2, '0')}-${step.name}`)
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(dir, { recursive: true })
    for (const file of readdirSync(step.solutionDir)) cpSync(join(step.solutionDir, file), join(dir, file))
    for (const { file, find, replace } of mistake.edits) {
      const source = read(dir, file)
      const pattern =
        typeof find === 'string'
          ? new RegExp(find.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g')
          : new RegExp(find.source, `${find.flags.replace('g', '')}g`)
      const found = source.match(pattern)?.length ?? 0
      if (found !== 1) {
        throw new Error(
          `mistake "${mistake.mistake}": ${String(find)} is found ${found} times in solutions/${step.name}/${file}, not once`,
        )
      }
      writeFileSync(join(dir, file), source.replace(pattern, replace))
    }
    folders.push(dir)
    return dir
  }

  beforeAll(async () => {
    const targets: Array<CheckTarget & { key: string }> = [
      ...steps.map((step) => ({
        key: `starter ${step.name}`,
        step,
        dir: step.stepDir,
        files: [step.checkFile],
        firstFailureOnly: true,
      })),
      ...mistakes.map((mistake, index) => {
        const step = bySlug(mistake.step)
        return {
          key: `mistake ${index}`,
          step,
          dir: mutant(mistake, index),
          files: [bySlug(mistake.check ?? mistake.step).checkFile],
          firstFailureOnly: true,
          // The type-check is told last, so only a mistake it names needs the compiler (seconds of
          // processor time per folder); for the others, the folder counts as type-checked.
          ...(/type-check/.test(mistake.says.source) ? {} : { typeSentences: [] }),
        }
      }),
    ]
    const results = await runChecks(targets, steps, { mongoUrl: mongoUrl() })
    summaries = new Map(targets.map((target, index) => [target.key, results[index] as CheckSummary]))
  }, 300_000)

  afterAll(() => {
    for (const dir of folders) rmSync(dir, { recursive: true, force: true })
  })

  for (const step of steps) {
    it(`steps/${step.name} fails check ${step.id}, with 🚨 sentences`, () => {
      const summary = summaries.get(`starter ${step.name}`)
      expect(summary?.failed, 'the starter must not be solved already').toBeGreaterThan(0)
      for (const failure of summary?.failures ?? []) expect(failure.sentence).toMatch(/^🚨 /)
    })
  }

  it('catalogues at least six mistakes for every step', () => {
    for (const step of steps) {
      expect(mistakes.filter((mistake) => mistake.step === step.slug).length, step.name).toBeGreaterThanOrEqual(6)
    }
  })

  for (const [index, mistake] of mistakes.entries()) {
    it(`${mistake.step}, ${mistake.mistake}: the first 🚨 names it, and no 🚨 hands over a line of the solution`, () => {
      const summary = summaries.get(`mistake ${index}`)
      const first = summary?.failures[0]?.sentence ?? '(no check failed)'
      expect(first, `the first 🚨 was: ${first}`).toMatch(mistake.says)
      expect(first, 'no matcher text reaches a learner').not.toMatch(
        /expected .* to (be|equal)|expects to receive|Test timed out|<!DOCTYPE/i,
      )
      const lines = solutionLines(bySlug(mistake.step))
      for (const failure of summary?.failures ?? []) {
        expect(
          lines.filter((line) => failure.sentence.includes(line)),
          `a 🚨 holds a whole line of the solution: ${failure.sentence}`,
        ).toEqual([])
      }
    })
  }
})

/** The lines of code of a step's solution long enough to be worth copying (comments and brackets aside). */
function solutionLines(step: Step): string[] {
  return codeFiles(step.solutionDir)
    .flatMap((file) => read(step.solutionDir, file).split('\n'))
    .map((line) => line.replace(/\s\/\/\s.*$/, '').trim())
    .filter((line) => line.length >= 24 && !/^(\/\/|\*|\/\*|import\s)/.test(line))
}
