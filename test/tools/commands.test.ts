// `npm run step` and `npm run check` as a learner meets them: real child processes, real output.
import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import { freePort } from '../../tools/lib/ports.js'
import { expectOneSentence, hasStackTrace, runTool, startTool } from '../support/cli.js'

// Independent processes, each on a port of its own: all at once.
describe.concurrent('bad input gets one 🚨 sentence, exit code 1, no stack trace', () => {
  it.each([
    ['step', ['10'], '🚨 There is no step 10: this workshop has steps 1 to'],
    ['step', ['x'], '🚨 "x" is not a step number: use a number from 1 to'],
    ['step', [], '🚨 Which step? Add its number, for example `npm run step 1`'],
    ['check', [], '🚨 Which step? Add its number, for example `npm run check 1`'],
    ['check', ['10'], '🚨 There is no step 10'],
    ['check', ['1', '--verbose'], "🚨 Unknown option '--verbose'"],
    ['step', ['9', '--instances', '12'], '🚨 --instances takes a whole number from 1 to 9, not "12"'],
  ])('npm run %s %s', async (tool, args, message) => {
    expectOneSentence(await runTool(tool, args), message)
  })

  it('npm run step 1 with the port already in use', async () => {
    const blocker = createServer()
    const port = await freePort()
    await new Promise<void>((resolve) => blocker.listen(port, resolve))
    try {
      const result = await runTool('step', ['1'], { PORT: String(port) })
      expect(result.code).toBe(1)
      expect(result.stderr.trim()).toBe(
        `🚨 Port ${port} is already in use (another \`npm run step\`?): stop that program, or choose another port, e.g. PORT=4001 npm run step 1.`,
      )
    } finally {
      blocker.close()
    }
  })

  it('npm run step 1 with PORT that is not a port', async () => {
    const result = await runTool('step', ['1'], { PORT: 'eighty' })
    expect(result.code).toBe(1)
    expect(result.stderr.trim()).toBe(
      '🚨 PORT must be a whole number from 1 to 65535, not "eighty": run for example PORT=4001 npm run step 1.',
    )
  })

  it('npm run step 3 with a MONGO_URL that does not answer: a sentence within seconds, not a hang', async () => {
    const deadPort = await freePort()
    const result = await runTool(
      'step',
      ['3'],
      { PORT: String(await freePort()), MONGO_URL: `mongodb://127.0.0.1:${deadPort}/test-app` },
      20_000,
    )
    expect(result.code).toBe(1)
    expect(result.stderr.trim()).toBe(
      `🚨 MongoDB at MONGO_URL (127.0.0.1:${deadPort}) did not answer within 3 s: start that server (\`npm run db:up\` starts one with Docker) or unset MONGO_URL.`,
    )
    expect(result.ms).toBeLessThan(15_000)
  })
})

describe.concurrent('npm run check without MongoDB', () => {
  it('says so in one sentence before running any check, for a step that keeps sessions in MongoDB', async () => {
    const deadPort = await freePort()
    const result = await runTool('check', ['3'], { MONGO_URL: `mongodb://127.0.0.1:${deadPort}` }, 20_000)
    expect(result.code).toBe(1)
    expect(result.stderr.trim()).toBe(
      `🚨 MongoDB at MONGO_URL (127.0.0.1:${deadPort}) did not answer within 3 s: start that server (\`npm run db:up\` starts one with Docker) or unset MONGO_URL.`,
    )
    expect(hasStackTrace(result.stdout + result.stderr)).toBe(false)
  })

  it('checks a step that needs no database without looking for one', async () => {
    const result = await runTool('check', ['2', '--solution'], { MONGO_URL: 'mongodb://127.0.0.1:9' }, 20_000)
    expect(result.code, result.stdout + result.stderr).toBe(0)
    expect(result.stdout).toContain('MongoDB: not needed before step 3')
    expect(result.stdout).toMatch(/✅ \d+ checks pass: step 2 is done/)
  })
})

describe('npm run step N -- --solution', () => {
  it('runs the finished server with MongoDB, prints where everything is, and stops cleanly on Ctrl+C', async () => {
    const port = await freePort()
    const { child, output: printed, exited } = startTool('step', ['4', '--solution'], { PORT: String(port) })
    try {
      await expect.poll(() => printed(), { timeout: 20_000, interval: 100 }).toContain(`App listening on port ${port}`)
      expect(printed()).toContain('Step 4 · ')
      expect(printed()).toContain(`App:      http://localhost:${port}`)
      expect(printed()).toMatch(/MongoDB: {2}.+, database test-app/)
      expect(printed()).toContain('Check it: npm run check 4 -- --solution')

      const response = await fetch(`http://127.0.0.1:${port}/`)
      expect(response.status).toBe(200)
      expect(await response.json()).toEqual({ uuid: '12234-2345-2323423' })

      child.kill('SIGINT')
      expect(await exited).toBe(0)
    } finally {
      child.kill('SIGKILL')
    }
  })
})

describe('npm run step 9 -- --solution --instances 2', () => {
  it('runs two instances behind a round-robin balancer on PORT, sharing sessions', async () => {
    const port = await freePort()
    const {
      child,
      output: printed,
      exited,
    } = startTool('step', ['9', '--solution', '--instances', '2'], { PORT: String(port), TRUST_PROXY: '1' })
    try {
      await expect
        .poll(() => (printed().match(/App listening on port/g) ?? []).length, { timeout: 30_000, interval: 100 })
        .toBe(2)
      expect(printed()).toContain(`App:      http://localhost:${port} (round robin over 2 instances)`)
      expect(printed()).toMatch(/instance a → http:\/\/127\.0\.0\.1:\d+/)
      const login = await fetch(`http://127.0.0.1:${port}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"username":"ada"}',
      })
      const cookie = login.headers.get('set-cookie')?.split(';')[0] ?? ''
      const served = [login.headers.get('x-instance')]
      for (let i = 0; i < 2; i++) {
        const me = await fetch(`http://127.0.0.1:${port}/me`, { headers: { cookie } })
        expect(await me.json()).toMatchObject({ name: 'ada' })
        served.push(me.headers.get('x-instance'))
      }
      expect(new Set(served)).toEqual(new Set(['a', 'b']))
      child.kill('SIGINT')
      expect(await exited).toBe(0)
    } finally {
      child.kill('SIGKILL')
    }
  })
})
