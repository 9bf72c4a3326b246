// `npm run step` and `npm run check` as a learner meets them: real child processes, real output.
import { createHmac } from 'node:crypto'
import { createServer } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort, networkAddresses, urlOf } from '../../tools/lib/ports.js'
import { expectOneSentence, hasStackTrace, type RunningTool, runTool, startTool } from '../support/cli.js'

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
    // 198.51.100.0/24 is for documentation only: no machine has it.
    ['step', ['1', '--host', '198.51.100.7'], '🚨 --host 198.51.100.7 is not an address of this machine: use'],
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

// child.kill('SIGINT') is a signal only where there are POSIX signals. On Windows it terminates
// the process at once (TerminateProcess, exit code 1), and what raises SIGINT there, a console's
// Ctrl+C, is nothing one process can send another: those tests run everywhere else.
const noSignals = process.platform === 'win32'

/** Stops a command that still runs, and what it started: SIGKILL alone would leave its server running. */
async function stop(tool: RunningTool): Promise<void> {
  if (tool.child.exitCode !== null || tool.child.signalCode !== null) return
  tool.child.kill('SIGTERM')
  const timer = setTimeout(() => tool.child.kill('SIGKILL'), 10_000)
  await tool.exited
  clearTimeout(timer)
}

describe('npm run step N -- --solution', () => {
  // One server for the tests below, in their order: the last one stops it.
  let tool: RunningTool
  let port: number
  beforeAll(async () => {
    port = await freePort()
    tool = startTool('step', ['4', '--solution'], { PORT: String(port) })
  })
  afterAll(() => stop(tool))

  it('runs the finished server with MongoDB on this machine only, and prints where everything is', async () => {
    const printed = tool.output
    await expect.poll(() => printed(), { timeout: 20_000, interval: 100 }).toContain(`App listening on port ${port}`)
    expect(printed()).toContain('Step 4 · ')
    expect(printed()).toContain(`App:      http://localhost:${port}`)
    expect(printed()).toContain(
      'Listens:  127.0.0.1 only, this machine; `npm run step 4 -- --host` lets other machines',
    )
    expect(printed()).toMatch(/MongoDB: {2}.+, database test-app/)
    expect(printed()).toContain('Check it: npm run check 4 -- --solution')
    expect(printed()).not.toContain('Secret:')

    const response = await fetch(`http://127.0.0.1:${port}/`)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ uuid: '12234-2345-2323423' })
    // This machine's network addresses, where other machines would knock: nobody answers there.
    for (const address of networkAddresses()) {
      await expect(fetch(`${urlOf(address, port)}/`)).rejects.toThrow()
    }
  })

  it.skipIf(noSignals)('stops cleanly on Ctrl+C (SIGINT)', async () => {
    tool.child.kill('SIGINT')
    expect(await tool.exited).toBe(0)
  })
})

describe('npm run step N -- --host', () => {
  it('listens on every interface, says so, and gives the app a random secret of the workspace', async () => {
    const port = await freePort()
    const tool = startTool('step', ['2', '--solution', '--host'], { PORT: String(port), SESSION_SECRET: undefined })
    const printed = tool.output
    try {
      await expect.poll(() => printed(), { timeout: 20_000, interval: 100 }).toContain(`App listening on port ${port}`)
      expect(printed()).toContain(`App:      http://localhost:${port}`)
      expect(printed()).toContain('Listens:  every interface: anyone on your network can reach it')
      expect(printed()).toContain(
        'Secret:   SESSION_SECRET is unset and other machines can reach the app: a random secret kept in .workshop/session-secret',
      )
      for (const address of networkAddresses()) {
        expect((await fetch(`${urlOf(address, port)}/`)).status).toBeLessThan(500)
      }
    } finally {
      await stop(tool)
    }
  })
})

describe('npm run step 9 -- --solution --instances 2', () => {
  let tool: RunningTool
  let port: number
  beforeAll(async () => {
    port = await freePort()
    tool = startTool('step', ['9', '--solution', '--instances', '2'], {
      PORT: String(port),
      TRUST_PROXY: '1',
      SESSION_SECRET: undefined,
    })
  })
  afterAll(() => stop(tool))

  it('runs two instances behind a round-robin balancer on PORT, sharing sessions and a secret of their own', async () => {
    const printed = tool.output
    await expect
      .poll(() => (printed().match(/App listening on port/g) ?? []).length, { timeout: 30_000, interval: 100 })
      .toBe(2)
    expect(printed()).toContain(`App:      http://localhost:${port} (round robin over 2 instances)`)
    expect(printed()).toMatch(/instance a → http:\/\/127\.0\.0\.1:\d+/)
    expect(printed()).toContain(
      'Secret:   SESSION_SECRET is unset and 2 instances must sign alike: a random secret kept in .workshop/session-secret, the same after a restart',
    )
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

    // The session id signed with the steps' public default secret is no way in.
    const [name = '', value = ''] = cookie.split('=')
    const sid = decodeURIComponent(value).slice('s:'.length).split('.')[0] ?? ''
    const signature = createHmac('sha256', 'SECRET KEY').update(sid).digest('base64').replace(/=+$/, '')
    const forged = await fetch(`http://127.0.0.1:${port}/me`, {
      headers: { cookie: `${name}=${encodeURIComponent(`s:${sid}.${signature}`)}` },
    })
    expect(forged.status).toBe(401)
  })

  it.skipIf(noSignals)('stops cleanly on Ctrl+C (SIGINT)', async () => {
    tool.child.kill('SIGINT')
    expect(await tool.exited).toBe(0)
  })
})
