import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../../tools/lib/ports.js'
import { mongoTarget, startTcpProxy, type TcpProxy, throughProxy } from '../../tools/lib/tcp-proxy.js'
import { closeCheckClient, openCheckClient } from '../support/database.js'
import { cookieName, leaksInternals, signedCookie } from '../support/http.js'
import { runServerProcess } from '../support/learner-server.js'
import {
  type CheckDatabase,
  checkDatabase,
  finishedStep,
  type InProcessApp,
  listeningApp,
  mongoUrl,
  secret,
} from '../support/workshop.js'

const solution = finishedStep()

let database: CheckDatabase
let inProcess: InProcessApp
let base = ''

beforeAll(async () => {
  await openCheckClient(mongoUrl())
  database = checkDatabase('attack')
  inProcess = await listeningApp(solution, database.url, { articleRoutes: false })
  base = inProcess.base
})
afterAll(async () => {
  await inProcess?.close()
  await database?.drop()
  await closeCheckClient()
})

/** A request that is over only when its whole body has arrived (express-session holds the last byte until it saved). */
async function call(path: string, init: RequestInit & { base?: string } = {}) {
  const response = await fetch(`${init.base ?? base}${path}`, { ...init, signal: AbortSignal.timeout(10_000) })
  const text = await response.text()
  const cookie = response.headers.getSetCookie().find((line) => line.startsWith(`${cookieName}=`))
  return { status: response.status, text, headers: response.headers, cookie: cookie?.split(';')[0] ?? '' }
}

const json = (body: unknown) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
})

describe('a logout', () => {
  it('stays final when 200 logouts race a request of the same visitor that writes the session', async () => {
    const tries = 200
    let alive = 0
    for (let i = 0; i < tries; i++) {
      const { cookie } = await call('/login', json({ username: `racer-${i}` }))
      await Promise.all([
        call('/visits', { headers: { cookie } }),
        call('/logout', { method: 'POST', headers: { cookie } }),
      ])
      if ((await call('/me', { headers: { cookie } })).status === 200) alive++
    }
    const left = (await database.sessions()).filter((document) => {
      const session = typeof document.session === 'string' ? document.session : JSON.stringify(document.session)
      return session.includes('racer-')
    }).length
    console.log(
      `racing logouts: ${tries} tries, ${alive} sessions still answered /me, ${left} documents with a user left`,
    )
    expect(alive).toBe(0)
    expect(left).toBe(0)
  })
})

describe('hostile requests', () => {
  it('get a 4xx with a JSON error, never a 5xx, an HTML page or a stack trace', async () => {
    const { cookie } = await call('/login', json({ username: 'ada' }))
    const id =
      decodeURIComponent(cookie)
        .replace(/^connect\.sid=s:/, '')
        .split('.')[0] ?? ''
    const cases: Array<[string, string, RequestInit]> = [
      [
        'bad JSON',
        '/login',
        { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"username": ada' },
      ],
      ['a 2 MB body', '/login', json({ username: 'a'.repeat(2_000_000) })],
      [
        'an unknown charset',
        '/login',
        { method: 'POST', headers: { 'Content-Type': 'application/json; charset=bogus' }, body: '{}' },
      ],
      ['a 90 KB username', '/login', json({ username: 'a'.repeat(90_000) })],
      ['an operator for a username', '/login', json({ username: { $gt: '' } })],
      [
        'a __proto__ body',
        '/login',
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: '{"__proto__":{"admin":true},"username":{"__proto__":1}}',
        },
      ],
      ['a tampered cookie', '/me', { headers: { cookie: cookie.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) } }],
      [
        'a cookie signed with the public default secret',
        '/me',
        { headers: { cookie: signedCookie(id, 'SECRET KEY') } },
      ],
      ['an unsigned session id', '/me', { headers: { cookie: `connect.sid=${id}` } }],
      ['a cookie of garbage', '/visits', { headers: { cookie: 'connect.sid=s%3A%25%25%25.%3F%3F' } }],
      ['a logout by GET', '/end', {}],
      ['a login by GET', '/', {}],
    ]
    const seen: string[] = []
    for (const [what, path, init] of cases) {
      const { status, text, headers } = await call(path, init)
      seen.push(`${what}: ${status}`)
      expect(status, `${what} answered ${status}: ${text.slice(0, 200)}`).toBeLessThan(500)
      // Express's own 404 page is HTML, but says nothing of the app; any other answer must be the app's JSON.
      if (status !== 404)
        expect(leaksInternals(text), `${what} answered with internals: ${text.slice(0, 200)}`).toBe(false)
      expect(text, `${what}: no stack trace`).not.toMatch(/^\s+at .+:\d+:\d+/m)
      if (status >= 400 && status !== 404) expect(headers.get('content-type'), what).toMatch(/application\/json/)
      expect(headers.get('x-powered-by'), what).toBeNull()
    }
    console.log(`hostile requests: ${seen.join('; ')}`)
  })
})

describe('bad settings', () => {
  it('each stop server.ts with one 🚨 sentence and exit code 1, no stack trace', async () => {
    const port = String(await freePort())
    const settings: Array<[string, Record<string, string>]> = [
      ['PORT=abc', { PORT: 'abc', MONGO_URL: database.url }],
      ['MONGO_URL=garbage', { PORT: port, MONGO_URL: 'garbage' }],
      [
        'a short secret in production',
        { PORT: port, MONGO_URL: database.url, NODE_ENV: 'production', SESSION_SECRET: 'short' },
      ],
      [
        'three spaces for a secret in production',
        { PORT: port, MONGO_URL: database.url, NODE_ENV: 'production', SESSION_SECRET: '   ' },
      ],
      [
        'the default among the old secrets',
        {
          PORT: port,
          MONGO_URL: database.url,
          NODE_ENV: 'production',
          SESSION_SECRET: secret,
          SESSION_OLD_SECRETS: 'SECRET KEY',
        },
      ],
      ['INSTANCE with a line break', { PORT: port, MONGO_URL: database.url, INSTANCE: 'a\r\nb' }],
    ]
    const runs = settings.map(([what, env]) => ({
      what,
      process: runServerProcess(solution, { SESSION_SECRET: secret, ...env }),
    }))
    for (const { what, process } of runs) {
      const exit = await Promise.race([
        process.exited,
        new Promise((resolve) => setTimeout(() => resolve('running'), 20_000)),
      ])
      await process.kill()
      const printed = process.output().trim()
      expect(exit, `${what}: ${printed}`).toBe(1)
      expect(printed.split('\n'), `${what}: one line`).toHaveLength(1)
      expect(printed, what).toMatch(/^🚨 /)
      expect(printed, what).not.toMatch(/^\s+at /m)
    }
  })
})

describe('a database that hangs', () => {
  let proxy: TcpProxy
  let running: ReturnType<typeof runServerProcess>
  let app = ''

  beforeAll(async () => {
    proxy = await startTcpProxy(mongoTarget(database.url))
    const port = await freePort()
    app = `http://127.0.0.1:${port}`
    running = runServerProcess(solution, {
      PORT: String(port),
      MONGO_URL: throughProxy(database.url, proxy),
      SESSION_SECRET: secret,
    })
    await running.printed(/listening on port/i, 20_000, '"App listening on port …"')
  })
  afterAll(async () => {
    await running?.kill()
    await proxy?.close()
  })

  it('gets every request that needs it answered 503 within 3 s, /health at once, and service back within 1 s of resuming', async () => {
    const cookies = await Promise.all(
      Array.from(
        { length: 20 },
        async (_, i) => (await call('/login', { ...json({ username: `hung-${i}` }), base: app })).cookie,
      ),
    )
    proxy.hang()
    const timed = async (path: string, init: RequestInit = {}) => {
      const began = Date.now()
      const answer = await call(path, { ...init, base: app })
      return { ...answer, ms: Date.now() - began }
    }
    // Requests as the hang begins, and a second wave into it.
    const waves: Array<Awaited<ReturnType<typeof timed>>[]> = []
    for (const delay of [0, 2500]) {
      await new Promise((resolve) => setTimeout(resolve, delay))
      waves.push(
        await Promise.all([
          ...cookies.map((cookie) => timed('/me', { headers: { cookie } })),
          ...Array.from({ length: 5 }, (_, i) => timed('/login', json({ username: `during-${i}` }))),
        ]),
      )
    }
    const health = await timed('/health')
    const answers = waves.flat()
    const slowest = Math.max(...answers.map((answer) => answer.ms))
    proxy.restore()
    const resumed = Date.now()
    let back = 0
    while (Date.now() - resumed < 5000) {
      if ((await call('/me', { headers: { cookie: cookies[0] ?? '' }, base: app })).status === 200) {
        back = Date.now() - resumed
        break
      }
    }
    console.log(
      `hung database: ${answers.length} requests, statuses ${[...new Set(answers.map((a) => a.status))].join('/')}, slowest ${slowest} ms, /health ${health.ms} ms, first 200 ${back} ms after resuming`,
    )
    for (const answer of answers) {
      expect(answer.status).toBe(503)
      expect(answer.headers.get('retry-after')).toMatch(/^\d+$/)
      expect(JSON.parse(answer.text)).toHaveProperty('error')
    }
    expect(slowest).toBeLessThan(3000)
    expect(health.status).toBe(200)
    expect(health.ms).toBeLessThan(500)
    expect(back, 'service returns within 1 s').toBeGreaterThan(0)
    expect(back).toBeLessThan(1000)
    expect(running.running(), 'the process stays up').toBe(true)
  })
})
