// npm start, progress, hint, diff, reset and doctor as a learner meets them: child processes,
// real output, each in a throwaway copy of the workshop (no git history), never the repository's
// own steps/.

import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { stepHints, type TaskHints } from '../../tools/lib/hints.js'
import { freePort } from '../../tools/lib/ports.js'
import { readFolder } from '../../tools/lib/starters.js'
import { listSteps, rootDir, type Step } from '../../tools/lib/steps.js'
import { deadMongo, expectOneSentence, hasStackTrace, mongo, runTool } from '../support/cli.js'
import { copyWorkshop, type WorkshopCopy } from '../support/workshop-copy.js'

const steps = listSteps()
const [one, two, three] = steps as [Step, Step, Step]
/** A step number past the last one. */
const beyond = steps.length + 1

describe('bad input gets one 🚨 sentence, exit code 1, no stack trace', () => {
  let copy: WorkshopCopy
  beforeAll(() => {
    copy = copyWorkshop()
  })
  afterAll(() => copy.remove())

  // Independent processes: all at once.
  it.concurrent.each([
    ['hint', [String(beyond)], `🚨 There is no step ${beyond}: this workshop has steps 1 to`],
    ['hint', [], '🚨 Which step? Add its number, for example `npm run hint 1`'],
    ['hint', ['1', '--verbose'], "🚨 Unknown option '--verbose'"],
    ['diff', ['x'], '🚨 "x" is not a step number'],
    ['diff', ['1', '2'], '🚨 npm run diff takes one step number'],
    ['reset', [String(beyond)], `🚨 There is no step ${beyond}`],
    ['reset', ['1', '--force'], "🚨 Unknown option '--force'"],
    ['start', [String(beyond)], `🚨 There is no step ${beyond}`],
    ['start', ['--watch'], "🚨 Unknown option '--watch'"],
    ['progress', ['all'], '🚨 npm run progress takes no arguments'],
    ['doctor', ['--fix'], "🚨 Unknown option '--fix'"],
  ])('npm run %s %s', async (tool, args, message) => {
    expectOneSentence(await runTool(tool, args, {}, 30_000, { root: copy.root }), message)
  })
})

describe('npm run progress', () => {
  let copy: WorkshopCopy
  beforeAll(() => {
    copy = copyWorkshop()
  })
  afterAll(() => copy.remove())

  it('lists every untouched step as not started, without needing MongoDB', async () => {
    const result = await runTool('progress', [], await deadMongo(), 30_000, { root: copy.root })
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain(`0 of ${steps.length} steps done`)
    for (const step of steps) expect(result.stdout).toMatch(new RegExp(`✗ ${step.id} · .*not started`))
    expect(result.stdout).toContain('Continue with step 1: npm start')
  })

  it('checks the steps that changed, ✓ or ✗, and remembers the verdicts', async () => {
    copy.solve(one)
    copy.breakFile('steps', two.name, 'app.ts')
    const first = await runTool('progress', [], mongo(), 90_000, { root: copy.root })
    expect(first.code, first.stdout + first.stderr).toBe(0)
    expect(first.stdout).toContain('Checking the steps you changed since their last check…')
    expect(first.stdout).toMatch(/✓ 01 · .*done \(\d+ checks pass\)/)
    expect(first.stdout).toMatch(/✗ 02 · .*\d+ of \d+ checks fail/)
    expect(first.stdout).toContain(`1 of ${steps.length} steps done`)
    expect(first.stdout).toContain('Continue with step 2: npm start')

    // Nothing changed since: the verdicts are reused, even without MongoDB.
    const again = await runTool('progress', [], await deadMongo(), 30_000, { root: copy.root })
    expect(again.code, again.stderr).toBe(0)
    expect(again.stdout).not.toContain('Checking the steps')
    expect(again.stdout).toMatch(/✓ 01 · /)
  }, 180_000)

  it('says in one sentence that MongoDB does not answer when a changed step needs checking', async () => {
    copy.write(`${copy.read('steps', three.name, 'app.ts')}\n// a change\n`, 'steps', three.name, 'app.ts')
    const result = await runTool('progress', [], await deadMongo(), 30_000, { root: copy.root })
    expectOneSentence(result, 'did not answer within 3 s: start that server')
  })
})

describe('npm run hint N', () => {
  let copy: WorkshopCopy
  beforeAll(() => {
    copy = copyWorkshop()
  })
  afterAll(() => copy.remove())

  it('shows the next rung of the first task, then the next, then the task asked for, then all of them', async () => {
    const tasks = stepHints(listSteps(copy.root)[2] as Step)
    expect(tasks.length, 'step 3 has hints').toBeGreaterThanOrEqual(2)
    const [first, second] = tasks as [TaskHints, TaskHints]
    const one = await runTool('hint', ['3'], {}, 30_000, { root: copy.root })
    expect(one.code).toBe(0)
    expect(one.stdout).toContain(`Hint 1 of 3 for step 3, 🐨 ${first.task} · ${first.title}:`)
    expect(one.stdout).toContain(first.rungs[0]?.split('\n')[0])
    const two = await runTool('hint', ['3'], {}, 30_000, { root: copy.root })
    expect(two.stdout).toContain(`Hint 2 of 3 for step 3, 🐨 ${first.task}`)
    const other = await runTool('hint', ['3', '--task', String(second.task)], {}, 30_000, { root: copy.root })
    expect(other.stdout).toContain(`Hint 1 of 3 for step 3, 🐨 ${second.task} · ${second.title}:`)
    const all = await runTool('hint', ['3', '--all'], {}, 30_000, { root: copy.root })
    expect(all.stdout).toContain(`Every hint for step 3 · ${three.title}:`)
    for (const task of tasks) for (const rung of task.rungs) expect(all.stdout).toContain(rung.split('\n')[0])
  })
})

describe('npm run diff N', () => {
  let copy: WorkshopCopy
  beforeAll(() => {
    copy = copyWorkshop()
  })
  afterAll(() => copy.remove())

  it('shows a unified diff of your step against the solution, without colors in a pipe', async () => {
    const result = await runTool('diff', ['1'], { NO_COLOR: undefined, FORCE_COLOR: undefined }, 30_000, {
      root: copy.root,
    })
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain('--- steps/01-bare-express/app.ts\n+++ solutions/01-bare-express/app.ts\n@@ ')
    expect(result.stdout).toMatch(/^-.*🐨/m)
    expect(result.stdout).not.toContain('\u001b[')
  })

  it('colors it when asked (FORCE_COLOR), and NO_COLOR wins', async () => {
    const colored = await runTool('diff', ['1'], { FORCE_COLOR: '1' }, 30_000, { root: copy.root })
    expect(colored.stdout).toContain('\u001b[32m+')
    const plain = await runTool('diff', ['1'], { FORCE_COLOR: '1', NO_COLOR: '1' }, 30_000, { root: copy.root })
    expect(plain.stdout).not.toContain('\u001b[')
  })

  it('says so when there is no difference', async () => {
    copy.solve(one)
    const result = await runTool('diff', ['1'], {}, 30_000, { root: copy.root })
    expect(result.code).toBe(0)
    expect(result.stdout.trim()).toBe('No difference: steps/01-bare-express is the same as solutions/01-bare-express.')
  })
})

describe('npm run reset N', () => {
  let copy: WorkshopCopy
  beforeAll(() => {
    copy = copyWorkshop()
  })
  afterAll(() => copy.remove())
  const others = () =>
    new Map(
      steps
        .filter((step) => step !== two)
        .flatMap((step) => [
          [`steps/${step.name}`, readFolder(copy.path('steps', step.name))],
          [`solutions/${step.name}`, readFolder(copy.path('solutions', step.name))],
        ]),
    )

  it('says there is nothing to reset in an untouched step', async () => {
    const result = await runTool('reset', ['2'], {}, 30_000, { root: copy.root })
    expect(result.code).toBe(0)
    expect(result.stdout.trim()).toBe('Nothing to reset: steps/02-session is still the starter.')
  })

  it('lists what will be lost, asks first, and does nothing on no (or no answer)', async () => {
    copy.write('my work\n', 'steps', two.name, 'app.ts')
    copy.write('notes\n', 'steps', two.name, 'notes.md')
    unlinkSync(copy.path('steps', two.name, 'server.ts'))
    const declined = await runTool('reset', ['2'], {}, 30_000, { root: copy.root, input: 'n\n' })
    expect(declined.code).toBe(0)
    expect(declined.stdout).toContain('changed  steps/02-session/app.ts   (your changes will be lost)')
    expect(declined.stdout).toContain('added    steps/02-session/notes.md   (a file you added: it will be deleted)')
    expect(declined.stdout).toContain('missing  steps/02-session/server.ts   (it will be put back)')
    expect(declined.stdout).toContain('Lose these 2 files and reset step 2? [y/N]')
    expect(declined.stdout).toContain('Nothing was reset.')
    expect(copy.read('steps', two.name, 'app.ts')).toBe('my work\n')

    const silent = await runTool('reset', ['2'], {}, 30_000, { root: copy.root })
    expectOneSentence(
      silent,
      '🚨 Nothing was reset: no answer came. To reset without the question, run npm run reset 2 -- --yes',
    )
    expect(copy.read('steps', two.name, 'app.ts')).toBe('my work\n')
  })

  it('restores the starter on yes, and touches no other step', async () => {
    const before = others()
    const result = await runTool('reset', ['2'], {}, 30_000, { root: copy.root, input: 'y\n' })
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain('✓ steps/02-session is the starter again.')
    expect(readFolder(copy.path('steps', two.name))).toEqual(readFolder(join(rootDir, 'steps', two.name)))
    expect(others()).toEqual(before)
  })

  it('does not ask with --yes', async () => {
    copy.write('more work\n', 'steps', two.name, 'app.ts')
    const result = await runTool('reset', ['2', '--yes'], {}, 30_000, { root: copy.root })
    expect(result.code).toBe(0)
    expect(result.stdout).not.toContain('[y/N]')
    expect(readFolder(copy.path('steps', two.name))).toEqual(readFolder(join(rootDir, 'steps', two.name)))
  })
})

describe('npm run doctor', () => {
  it('passes with MongoDB answering and the port free (Docker is only a warning)', async () => {
    const result = await runTool('doctor', [], { ...mongo(), PORT: String(await freePort()) })
    expect(result.code, result.stdout + result.stderr).toBe(0)
    expect(result.stdout).toMatch(/✓ Node\.js v\d+/)
    expect(result.stdout).toContain('✓ Dependencies installed')
    expect(result.stdout).toMatch(/✓ MongoDB: .* answers/)
    expect(result.stdout).toMatch(/[✓⚠] Docker/)
    expect(result.stdout).toMatch(/Ready.*: npm start begins the workshop\./)
  })

  it('names each blocking problem with its fix: no MongoDB reachable, the port in use', async () => {
    const port = await freePort()
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(port, resolve))
    try {
      const dead = await deadMongo()
      const result = await runTool('doctor', [], { ...dead, PORT: String(port) })
      expect(result.code).toBe(1)
      expect(result.stdout).toContain(
        `✗ MongoDB: MongoDB at MONGO_URL (${dead.MONGO_URL.slice('mongodb://'.length)}) did not answer within 3 s`,
      )
      expect(result.stdout).toContain(`✗ PORT=${port} is in use`)
      expect(result.stdout).toContain(`→ Stop the program that uses it`)
      expect(result.stdout).toContain('2 problems block the workshop')
      expect(hasStackTrace(result.stdout + result.stderr)).toBe(false)
    } finally {
      blocker.close()
    }
  })

  it('still speaks without npm install, for every command (tools/run.mjs is plain JavaScript)', () => {
    const bare = mkdtempSync(join(tmpdir(), 'workshop-bare-'))
    try {
      cpSync(join(rootDir, 'tools'), join(bare, 'tools'), { recursive: true })
      for (const command of ['doctor', 'step']) {
        const result = spawnSync(process.execPath, [join(bare, 'tools', 'run.mjs'), command, '1'], { encoding: 'utf8' })
        expect(result.status).toBe(1)
        expect(result.stderr.trim()).toBe(
          `🚨 The workshop's dependencies are not installed (node_modules/tsx is missing): run npm install in ${bare}, then npm run ${command} again.`,
        )
      }
      const unknown = spawnSync(process.execPath, [join(rootDir, 'tools', 'run.mjs'), 'nothing'], { encoding: 'utf8' })
      expect(unknown.stderr.trim()).toBe(
        '🚨 There is no workshop command "nothing": the commands are the npm scripts in package.json.',
      )
    } finally {
      rmSync(bare, { recursive: true, force: true })
    }
  })
})
