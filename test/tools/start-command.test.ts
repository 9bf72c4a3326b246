// npm start (guided mode) as a learner meets it: a child process on a throwaway copy of the
// workshop, keys through standard input, files saved as an editor would. (The other learner
// commands: learner-commands.test.ts; the two files run side by side.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fingerprint } from '../../tools/lib/fingerprint.js'
import { saveProgress } from '../../tools/lib/progress-store.js'
import { listSteps, type Step } from '../../tools/lib/steps.js'
import { deadMongo, hasStackTrace, mongo, runTool } from '../support/cli.js'
import { type InteractiveTool, startTool } from '../support/interactive.js'
import { copyWorkshop, type WorkshopCopy } from '../support/workshop-copy.js'

const [one, two] = listSteps() as [Step, Step]

describe('npm start (guided mode)', () => {
  // Guided mode stopped before its copy is removed, also when a test fails halfway.
  const running: InteractiveTool[] = []
  const started = (tool: InteractiveTool) => {
    running.push(tool)
    return tool
  }
  const cleanUp = async (copy: WorkshopCopy) => {
    await Promise.all(running.splice(0).map((tool) => tool.stop()))
    copy.remove()
  }

  it('checks on every save, shows the 🚨 sentences (code that does not compile too), moves on when green, and resumes', async () => {
    const copy = copyWorkshop()
    try {
      copy.solve(one)
      const guided = started(startTool('start', [], { root: copy.root, env: mongo() }))
      let at = await guided.waitFor(/━━ Step 1 of \d+ · /)
      at = await guided.waitFor(/✅ .*Step 1 is done/, at)
      at = await guided.waitFor(/━━ Step 2 of \d+ · /, at)
      at = await guided.waitFor(/❌ .*Step 2: \d+ of \d+ checks fail/, at)
      expect(guided.output().slice(0, at)).toContain('🚨 ')

      guided.send('h')
      at = await guided.waitFor(/Hint 1 of \d+ for step 2/, at)
      guided.send('l')
      at = await guided.waitFor(/✓ 01 · .*\n.*▸ ✗ 02 · /, at)

      copy.breakFile('steps', two.name, 'app.ts')
      at = await guided.waitFor(/↻ app\.ts saved: checking again…/, at)
      at = await guided.waitFor(/crashed while loading: steps\/02-session\/app\.ts:\d+:\d+: [^\n]+[\s\S]*❌/, at)

      copy.solve(two)
      at = await guided.waitFor(/↻ [\w.]+ saved/, at)
      at = await guided.waitFor(/✅ .*Step 2 is done/, at)
      at = await guided.waitFor(/━━ Step 3 of \d+ · /, at)
      at = await guided.waitFor(/❌ .*Step 3: /, at)

      guided.send('q')
      await guided.waitFor(/Bye\. npm start opens step 3 again/, at)
      expect(await guided.exited).toBe(0)
      expect(hasStackTrace(guided.output())).toBe(false)

      // The progress file brings the learner back to step 3; the end of input quits.
      const resumed = started(startTool('start', [], { root: copy.root, env: mongo() }))
      const opened = await resumed.waitFor(/━━ Step \d+ of/)
      expect(resumed.output().slice(0, opened)).toContain('━━ Step 3 of')
      resumed.endInput()
      expect(await resumed.exited).toBe(0)
    } finally {
      await cleanUp(copy)
    }
  }, 180_000)

  describe('with --poll and a step number', () => {
    // One guided mode for the tests below, in their order: the last one stops it.
    let copy: WorkshopCopy
    let guided: InteractiveTool
    beforeAll(() => {
      copy = copyWorkshop()
      guided = started(startTool('start', ['2', '--poll'], { root: copy.root, env: mongo() }))
    })
    afterAll(() => cleanUp(copy))

    it('watches by polling and opens step N', async () => {
      let at = await guided.waitFor(/━━ Step 2 of \d+ · .*\n[\s\S]*polling/)
      at = await guided.waitFor(/❌ .*Step 2: /, at)
      copy.solve(two)
      at = await guided.waitFor(/↻ [\w.]+ saved/, at)
      await guided.waitFor(/✅ .*Step 2 is done/, at)
    }, 180_000)

    // child.kill('SIGINT') is a signal only where there are POSIX signals: on Windows it terminates
    // the process at once (exit code 1), and a console's Ctrl+C, what raises SIGINT there, is
    // nothing one process can send another. (The key q, above, quits on every system.)
    it.skipIf(process.platform === 'win32')('stops cleanly on Ctrl+C (SIGINT)', async () => {
      guided.kill('SIGINT')
      expect(await guided.exited).toBe(0)
      expect(guided.output()).toContain('Bye.')
    })
  })

  it('checks the first steps without MongoDB, and says in one sentence when a later step needs one that does not answer', async () => {
    const copy = copyWorkshop()
    try {
      const env = await deadMongo()
      const first = started(startTool('start', [], { root: copy.root, env }))
      await first.waitFor(/❌ .*Step 1: \d+ of \d+ checks fail/)
      first.send('q')
      expect(await first.exited).toBe(0)
      const third = started(startTool('start', ['3'], { root: copy.root, env }))
      await third.waitFor(/🚨 The checks could not run: MongoDB at MONGO_URL \(127\.0\.0\.1:\d+\) did not answer/)
      third.send('q')
      expect(await third.exited).toBe(0)
      expect(hasStackTrace(first.output() + third.output())).toBe(false)
    } finally {
      await cleanUp(copy)
    }
  }, 60_000)

  it('quits when standard input ends (no terminal), and says so when every step is done', async () => {
    const copy = copyWorkshop()
    try {
      const quits = await runTool('start', [], mongo(), 60_000, { root: copy.root })
      expect(quits.code, quits.stderr).toBe(0)
      expect(quits.stdout).toContain('Bye.')

      // Every step solved, with verdicts on record for exactly these files: nothing left to guide.
      const copied = listSteps(copy.root)
      for (const step of copied) copy.solve(step)
      saveProgress(
        {
          version: 1,
          steps: Object.fromEntries(
            copied.map((step) => [
              step.name,
              {
                verdict: {
                  passed: 3,
                  failed: 0,
                  fingerprint: fingerprint(step, copied, step.stepDir, copy.root),
                  at: '',
                },
              },
            ]),
          ),
        },
        copy.root,
      )
      const done = await runTool('start', [], await deadMongo(), 30_000, { root: copy.root })
      expect(done.code, done.stderr).toBe(0)
      expect(done.stdout).toContain(`${copied.length} of ${copied.length} steps done`)
      expect(done.stdout).toContain('Every step passes its checks.')
    } finally {
      copy.remove()
    }
  }, 180_000)
})
