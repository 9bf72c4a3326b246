// Guided mode's loop, in process, on a small fake workshop with a fake check run: a step opens and
// is checked, a save checks again, green opens the next step, keys answer. The real thing, as a
// learner runs it, is in learner-commands.test.ts.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { CheckSummary } from '../../tools/lib/check-reporter.js'
import { type Checker, GuidedSession, keysLine, startingStep } from '../../tools/lib/guided.js'
import { loadProgress } from '../../tools/lib/progress-store.js'
import { listSteps, type Step } from '../../tools/lib/steps.js'
import { emptySummary } from '../../tools/lib/verdict.js'

let root: string
let session: GuidedSession | undefined

afterEach(async () => {
  await session?.quit()
  session = undefined
  rmSync(root, { recursive: true, force: true })
})

function workshop(): Step[] {
  root = mkdtempSync(join(tmpdir(), 'workshop-guided-'))
  for (const [name, title] of [
    ['01-one', 'One'],
    ['02-two', 'Two'],
  ] as const) {
    mkdirSync(join(root, 'steps', name), { recursive: true })
    mkdirSync(join(root, 'solutions', name), { recursive: true })
    writeFileSync(join(root, 'steps', name, 'app.ts'), '// 🐨 1. todo\n')
    writeFileSync(join(root, 'steps', name, 'README.md'), `# ${name.slice(0, 2)} · ${title}\n`)
    writeFileSync(
      join(root, 'steps', name, 'hints.md'),
      `# Hints\n\n## 🐨 1 · app.ts: write done\nChecked by: GET / > answers\n\n1. 💡 first hint of ${title}\n2. 📖 second hint\n3. 💰 third hint\n`,
    )
  }
  const steps = [
    { slug: 'one', title: 'One', summary: 'the first' },
    { slug: 'two', title: 'Two', summary: 'the second' },
  ]
  writeFileSync(join(root, 'steps.json'), JSON.stringify({ steps }))
  return listSteps(root)
}

/** A check that passes when the step's app.ts says "done"; counts its runs and the files said to change. */
function fakeChecks(delayMs = 0) {
  const runs: string[] = []
  const changed: string[][] = []
  const checker: Checker = {
    check: async (step, options) => {
      runs.push(step.name)
      changed.push(options.changed)
      await new Promise((resolve) => setTimeout(resolve, delayMs))
      const { readFileSync } = await import('node:fs')
      const done = readFileSync(join(step.stepDir, 'app.ts'), 'utf8').includes('done')
      const summary = emptySummary()
      const section = {
        project: 'p',
        check: step.name,
        passed: ['a check'],
        failures: [] as CheckSummary['failures'],
        notes: [],
      }
      if (done) summary.passed = 2
      else {
        summary.passed = 1
        summary.failed = 1
        const failure = {
          check: step.name,
          test: 'GET / > answers',
          sentence: '🚨 write done in app.ts.',
          kind: 'check' as const,
        }
        summary.failures.push(failure)
        section.failures.push(failure)
      }
      options.onSection(section)
      return summary
    },
  }
  return { runs, changed, checker }
}

function start(steps: Step[], checks: ReturnType<typeof fakeChecks>, first: Step, auto: boolean) {
  const lines: string[] = []
  let quit = false
  session = new GuidedSession(
    {
      steps,
      root,
      checker: checks.checker,
      print: (line) => lines.push(line),
      onQuit: () => {
        quit = true
      },
    },
    first,
  )
  session.open(first, auto)
  return { lines, text: () => lines.join('\n'), quit: () => quit }
}

describe('guided mode', () => {
  it('checks the step, checks again on save, and opens the next step when it turns green', async () => {
    const steps = workshop()
    const checks = fakeChecks()
    const screen = start(steps, checks, steps[0] as Step, true)
    await expect.poll(screen.text).toContain('❌')
    expect(screen.text()).toContain('━━ Step 1 of 2 · One ━━')
    expect(screen.text()).toContain('🚨 write done in app.ts.')

    writeFileSync(join(root, 'steps', '01-one', 'app.ts'), '// done\n')
    await expect.poll(screen.text, { timeout: 10_000 }).toContain('━━ Step 2 of 2 · Two ━━')
    expect(screen.text()).toContain('↻ app.ts saved: checking again…')
    expect(screen.text()).toContain('✅')
    await expect.poll(() => checks.runs).toEqual(['01-one', '01-one', '02-two'])
    expect(checks.changed[1], 'the saved file is loaded afresh').toEqual([join(root, 'steps', '01-one', 'app.ts')])
    expect(screen.text()).toContain('✗ check 01: 1 of 2 fail')
    expect(loadProgress(root).current).toBe('02-two')
    expect(loadProgress(root).steps['01-one']?.verdict).toMatchObject({ passed: 2, failed: 0 })
  })

  it('answers keys: h the next hint, l the list, n the next step, q quits', async () => {
    const steps = workshop()
    const screen = start(steps, fakeChecks(), steps[0] as Step, true)
    await expect.poll(screen.text).toContain('❌')
    session?.key('h')
    expect(screen.text()).toContain('Hint 1 of 3 for step 1, 🐨 1 · app.ts: write done:')
    expect(screen.text()).toContain('💡 first hint of One')
    session?.key('h')
    expect(screen.text()).toContain('📖 second hint')
    session?.key('l')
    expect(screen.text()).toMatch(/▸ ✗ 01 · One {2}1 of 2 checks fail/)
    session?.key('n')
    await expect.poll(screen.text).toContain('━━ Step 2 of 2 · Two ━━')
    await session?.idle()
    session?.key('n')
    expect(screen.text()).toContain('Step 2 is the last step.')
    session?.key('?')
    expect(screen.lines.at(-1)).toBe(keysLine)
    session?.key('q')
    await expect.poll(screen.quit).toBe(true)
  })

  it('stays on a step opened by number that already passes', async () => {
    const steps = workshop()
    writeFileSync(join(root, 'steps', '01-one', 'app.ts'), '// done\n')
    const screen = start(steps, fakeChecks(), steps[0] as Step, false)
    await expect.poll(screen.text).toContain('Step 1 already passes: n opens step 2.')
    expect(screen.text()).not.toContain('Step 2 of 2')
  })

  it('runs once more, not once per save, when saves come during a run', async () => {
    const steps = workshop()
    const checks = fakeChecks(300)
    start(steps, checks, steps[0] as Step, false)
    session?.check()
    session?.check()
    session?.check()
    await expect.poll(() => checks.runs.length, { timeout: 5000 }).toBe(2)
    await session?.idle()
    expect(checks.runs).toHaveLength(2)
  })

  it('opens where the learner stopped, else at the first step not done', () => {
    const steps = workshop()
    expect(startingStep(steps, undefined, root)).toEqual({ step: steps[0], auto: true })
    expect(startingStep(steps, steps[1], root)).toEqual({ step: steps[1], auto: false })
    writeFileSync(
      join(root, '.workshop', 'progress.json'),
      JSON.stringify({ version: 1, current: '02-two', steps: {} }),
    )
    expect(startingStep(steps, undefined, root)).toEqual({ step: steps[1], auto: true })
  })
})
