// Check 01: a bare Express server. createApp() answers GET /health; readConfig() reads PORT;
// start() listens and closes; server.ts run directly says why it cannot start in one sentence,
// and stops cleanly on SIGTERM and SIGINT.
import { connect, createServer, type Socket } from 'node:net'
import request from 'supertest'
import { describe, it } from 'vitest'
import { freePort, listens } from '../tools/lib/ports.js'
import { errorLine } from './support/error-line.js'
import { answer } from './support/http.js'
import { describeExit, learnerServers, runServerProcess } from './support/learner-server.js'
import { limit } from './support/pace.js'
import { checkedStep, checkFixtures, exported, must, secret, thrownBy, waitFor } from './support/workshop.js'

const step = checkedStep('01-bare-express')
const { where } = step
const servers = learnerServers(step)

type CreateApp = (options: { secret: string }) => import('express').Express
type Config = { port: number }

// From step 3 on, the server connects to MongoDB when it starts: every test gets a database of its own.
const { mongoEnv } = checkFixtures(step, '01')
const envFor = (port: number | string) => ({ PORT: String(port), ...mongoEnv(), SESSION_SECRET: secret })

const readConfig = () => step.readConfig<Config>('readConfig(env), which returns { port }')

/** readConfig(env), or the sentence it threw ('' when it did not throw). */
async function refusal(env: NodeJS.ProcessEnv): Promise<string> {
  const read = await readConfig()
  return thrownBy(() => read(env))
}

describe('GET /health', () => {
  it('answers 200 with JSON', async () => {
    const module = await step.load<Record<string, unknown>>('app.ts')
    const createApp = exported<CreateApp>(module, 'createApp', `${where}/app.ts`, 'a function named createApp')
    const response = await answer(request(createApp({ secret })).get('/health'), 'GET /health')
    must(
      response.status === 200,
      `GET /health answered ${response.status}: add app.get('/health', …) in ${where}/app.ts.`,
    )
    must(
      response.type === 'application/json',
      `GET /health should answer JSON, not ${response.type || 'nothing'}: use res.json({ status: 'ok' }) in ${where}/app.ts.`,
    )
  })
})

describe('readConfig(env)', () => {
  it('reads PORT, and 4000 when PORT is unset or empty', async () => {
    const read = await readConfig()
    const port = (env: NodeJS.ProcessEnv) => {
      try {
        return JSON.stringify(read({ ...envFor(''), ...env }).port)
      } catch (error) {
        return `an error ("${(error as Error).message}")`
      }
    }
    const given = port({ PORT: '4321' })
    must(
      given === '4321',
      `readConfig({ PORT: '4321' }) should give port 4321 (a number), not ${given}: read env.PORT in ${where}/config.ts.`,
    )
    const unset = port({ PORT: undefined })
    must(unset === '4000', `readConfig(env) without PORT should give port 4000, not ${unset}.`)
    const empty = port({ PORT: '' })
    must(
      empty === '4000',
      `readConfig({ PORT: '' }) should give port 4000: an empty PORT counts as unset (Number('') is 0, a random port), not ${empty}.`,
    )
  })

  it('refuses a PORT that is not a port, in a sentence that names PORT', async () => {
    for (const bad of ['abc', '0', '65536', '80.5', '-1']) {
      const sentence = await refusal({ ...envFor(''), PORT: bad })
      must(
        sentence !== '',
        `readConfig({ PORT: '${bad}' }) should throw: a port is a whole number from 1 to 65535 (${where}/config.ts).`,
      )
      must(
        /PORT/.test(sentence),
        `readConfig({ PORT: '${bad}' }) threw "${sentence}": say which setting is wrong, e.g. PORT must be a whole number from 1 to 65535, not "${bad}".`,
      )
    }
  })
})

describe('start(env)', () => {
  it('listens on PORT and resolves with { port, close }; close() frees the port', async () => {
    const port = await freePort()
    const server = await servers.started(envFor(port))
    must(server.port === port, `start(env) resolved with port ${server.port}: it should listen on PORT (${port}).`)
    must(
      await listens('127.0.0.1', port),
      `start(env) resolved before the server was listening on port ${port}: resolve inside app.listen()'s callback, once it listens (${where}/server.ts).`,
    )
    const health = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined)
    must(
      health?.status === 200,
      `the server start(env) started should answer GET /health on port ${port} (it answered ${health?.status ?? 'nothing'}).`,
    )
    await server.close()
    const again = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined)
    must(
      again === undefined,
      `after close(), port ${port} still answers: close() should call server.close() (${where}/server.ts).`,
    )
  })

  it('rejects with a sentence naming the port when the port is taken', async () => {
    const port = await freePort()
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(port, resolve))
    try {
      const sentence = await servers.refusal(envFor(port))
      must(
        sentence !== '',
        `start(env) resolved although port ${port} is taken: reject when app.listen() passes an error to its callback (${where}/server.ts).`,
      )
      must(
        sentence.includes(String(port)),
        `start(env) rejected with "${sentence}": name the port that is taken, and what to do about it.`,
      )
    } finally {
      blocker.close()
    }
  })
})

// Two processes at once: each test waits mostly on its own process.
describe.concurrent('server.ts, run directly', () => {
  it('says where it listens, and on SIGTERM and SIGINT stops taking connections and exits 0 once its open request ends', async ({
    onTestFinished,
  }) => {
    const port = await freePort()
    const proc = runServerProcess(step, envFor(port), onTestFinished)
    const [, printed] = await proc.printed(
      /App listening on port (\d+)/,
      limit(8000, 10),
      '"App listening on port …"',
      port,
    )
    must(
      printed === String(port),
      `server.ts printed "App listening on port ${printed}" but was given PORT=${port}: print the port it listens on.`,
    )

    // Its signal handlers come right after that line: give them a moment.
    await new Promise((resolve) => setTimeout(resolve, 100))
    // A request still on its way in: a graceful stop lets it finish.
    const open: Socket = connect(port, '127.0.0.1')
    await new Promise((resolve) => open.once('connect', resolve))
    open.write('GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n')
    let reply = ''
    // A server killed mid-request resets the connection: that is a verdict below, not a crash here.
    open.on('error', () => {})
    open.on('data', (chunk: Buffer) => {
      reply += chunk.toString()
    })
    try {
      proc.child.kill('SIGTERM')
      const stopped = await waitFor(async () => !(await listens('127.0.0.1', port)) || !proc.running(), limit(3000))
      must(
        proc.running(),
        `on SIGTERM, server.ts ${describeExit(proc.child)} at once: close the server instead (server.close()), so open requests can finish, then the process ends by itself.`,
      )
      must(stopped, "on SIGTERM, server.ts should close the server: process.once('SIGTERM', …) calling close().")

      // Unhandled, SIGINT ends the process at once, and the open request never gets its answer.
      proc.child.kill('SIGINT')
      open.write('\r\n')
      let closed = false
      open.once('close', () => {
        closed = true
      })
      const answered = () => reply.includes('\r\n\r\n')
      await waitFor(() => answered() || (!proc.running() && closed), limit(3000))
      must(
        answered() || proc.running(),
        `on SIGINT (Ctrl+C), server.ts ${describeExit(proc.child)} instead of closing the server: handle SIGINT as SIGTERM.`,
      )
      must(
        answered() && /^HTTP\/1\.1 200/.test(reply),
        'the request that was open when the signals came should still get its answer.',
      )
      open.destroy()
      const lingerMs = limit(1500, 5)
      const exit = await Promise.race([
        proc.exited,
        new Promise((resolve) => setTimeout(() => resolve('running'), lingerMs)),
      ])
      const alive = exit === 'running' ? await proc.aliveBy() : ''
      must(
        exit === 0,
        exit === 'running'
          ? `server.ts kept running ${Math.round(lingerMs / 1000)} s after its last request: ${alive ? `${alive}, and it keeps the process alive` : 'on a signal, close the server (and, once there are, the store and the MongoDB client) so nothing keeps the process alive'} (${where}/server.ts).`
          : `server.ts ${describeExit(proc.child)} after its last request, printing ${errorLine(proc.output())}: it should end by itself, with code 0, even when a second signal comes while it closes (Ctrl+C twice).`,
      )
    } finally {
      open.destroy()
      await proc.kill()
    }
  })

  it('prints one 🚨 sentence and exits with code 1 when it cannot start', async ({ onTestFinished }) => {
    const proc = runServerProcess(step, envFor('not-a-port'), onTestFinished)
    const waitMs = limit(8000, 10)
    const exit = await Promise.race([
      proc.exited,
      // A server that listens all the same is known at once: no need to wait for it to end.
      proc.printed(/listening/i, waitMs, 'a listening line').then(
        () => 'listening',
        () => new Promise<never>(() => {}),
      ),
      new Promise((resolve) => setTimeout(() => resolve('running'), waitMs)),
    ])
    await proc.kill()
    const printed = proc.output().trim()
    must(
      exit === 1,
      `with PORT=not-a-port, server.ts ${exit === 'running' ? 'kept running' : exit === 'listening' ? `printed "${errorLine(printed)}" and kept running` : `ended with ${exit}`}: when start() rejects, print the sentence and exit with code 1.`,
    )
    must(
      /^🚨 .*PORT/m.test(printed),
      `with PORT=not-a-port, server.ts should print one line "🚨 <the sentence>" naming PORT (it printed: ${errorLine(printed)}).`,
    )
    must(
      !/^\s+at /m.test(printed),
      'server.ts printed a stack trace when it could not start: catch what start() rejects with, and print only its message.',
    )
  })
})
