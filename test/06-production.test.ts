// Check 06: production sessions: cookies behind a proxy, maxAge, secret rotation, touchAfter,
// encryption at rest, and a server.ts that refuses bad settings, survives a MongoDB outage and
// shuts down cleanly.
import { Agent, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Express } from 'express'
import type { Store } from 'express-session'
import { MongoClient, MongoNetworkError, type CommandStartedEvent } from 'mongodb'
import request from 'supertest'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { freePort } from '../tools/lib/ports.js'
import { hasStackTrace } from './support/cli.js'
import { startServer, type RunningServer } from './support/server-process.js'
import { mongoTarget, startTcpProxy, throughProxy, type TcpProxy } from './support/tcp-proxy.js'
import {
  checkDatabase,
  closeStore,
  findCookie,
  loadModule,
  secret,
  sessionIdOf,
  shortDir,
  sign,
  workshopDir,
} from './support/workshop.js'

const dir = workshopDir('06-production')
const where = shortDir(dir)

/** What step 06 adds to createApp's options (step 06's AppOptions). */
interface AppOptions {
  secret: string | string[]
  store?: Store
  trustProxy?: number | boolean
  maxAge?: number
}
type ClosableStore = Store & { close?: () => Promise<void>; collectionP?: Promise<unknown> }
interface AppModule {
  createApp(options: AppOptions): Express
}
interface StoreModule {
  createSessionStore(mongo: MongoClient | string, options?: { encryptionSecret?: string }): ClosableStore
}

let database: Awaited<ReturnType<typeof checkDatabase>>
const cleanups: Array<() => Promise<unknown> | undefined> = []

beforeEach(async () => {
  database = await checkDatabase('06')
})
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()?.catch(() => {})
  await database.drop()
})

/** The learner's store, ready to use, or a 🚨 saying why not. */
async function buildStore(
  mongo: MongoClient | string,
  options?: { encryptionSecret?: string },
): Promise<ClosableStore> {
  const { createSessionStore } = await loadModule<StoreModule>(dir, 'store.ts')
  const store = createSessionStore(mongo, options)
  cleanups.push(() => closeStore(store))
  // connect-mongo connects (and creates its index) as soon as the store exists: wait for it here,
  // so a store that cannot use what it was given says so instead of failing later.
  await store.collectionP?.catch((error: Error) => {
    const given = typeof mongo === 'string' ? 'a MongoDB URL' : 'a MongoClient'
    throw new Error(
      `🚨 createSessionStore() in ${where}/store.ts could not use ${given} (${error.message.split('\n')[0]}): accept a MongoClient or a URL, as the lesson shows.`,
    )
  })
  return store
}

async function buildApp(options: Omit<AppOptions, 'store'> & { store: Store }): Promise<Express> {
  const { createApp } = await loadModule<AppModule>(dir, 'app.ts')
  return createApp(options)
}

const cookieLine = (response: request.Response) => findCookie(response.headers['set-cookie'], 'connect.sid')
const cookieOf = (response: request.Response) => cookieLine(response)?.split(';')[0] ?? ''
const isSecure = (line: string | undefined) => /;\s*Secure(;|$)/i.test(line ?? '')
const name = () => `ada-${Math.random().toString(36).slice(2, 10)}`

/** A cookie's attributes without its value and its lifetime: what must match to clear it. */
function attributesOf(line: string | undefined): string[] {
  return (line ?? '')
    .split(';')
    .slice(1)
    .map((part) => part.trim().toLowerCase())
    .filter((part) => part && !part.startsWith('expires=') && !part.startsWith('max-age='))
    .sort()
}

describe('the session cookie behind a proxy', () => {
  it('is Secure only for requests that came over HTTPS through the trusted proxy', async () => {
    const store = await buildStore(database.url)
    const trusting = await buildApp({ secret, store, trustProxy: 1 })

    const overHttps = await request(trusting)
      .post('/login')
      .set('X-Forwarded-Proto', 'https')
      .send({ username: name() })
    expect(overHttps.status, '🚨 POST /login should answer 200 (step 05).').toBe(200)
    expect(
      isSecure(cookieLine(overHttps)),
      `🚨 a login that came over HTTPS through the proxy (X-Forwarded-Proto: https) should get a Secure cookie: app.set('trust proxy', trustProxy) and cookie: { secure: 'auto' } in ${where}/app.ts.`,
    ).toBe(true)

    const overHttp = await request(trusting).post('/login').send({ username: name() })
    expect(
      isSecure(cookieLine(overHttp)),
      "🚨 a login over plain HTTP got a Secure cookie: use secure: 'auto', which follows req.secure.",
    ).toBe(false)

    const untrusted = await buildApp({ secret, store })
    const spoofed = await request(untrusted).post('/login').set('X-Forwarded-Proto', 'https').send({ username: name() })
    expect(
      isSecure(cookieLine(spoofed)),
      "🚨 without trustProxy, anyone can send X-Forwarded-Proto: https: set the trust with app.set('trust proxy', trustProxy) (default false), not session({ proxy: true }).",
    ).toBe(false)
  })

  it("is SameSite=Lax, and maxAge sets both its Expires and the document's expires", async () => {
    const store = await buildStore(database.url)
    const hour = 60 * 60 * 1000
    const app = await buildApp({ secret, store, maxAge: hour })
    const before = Date.now()
    const login = await request(app).post('/login').send({ username: name() })
    const line = cookieLine(login)
    expect(line, `🚨 the cookie should be SameSite=Lax: cookie: { sameSite: 'lax' } in ${where}/app.ts.`).toMatch(
      /;\s*SameSite=Lax/i,
    )

    const expires = /;\s*Expires=([^;]+)/i.exec(line ?? '')?.[1]
    expect(
      expires,
      `🚨 the cookie has no Expires: set cookie: { maxAge } from createApp's maxAge option in ${where}/app.ts.`,
    ).toBeDefined()
    const cookieDrift = Math.abs(new Date(expires ?? 0).getTime() - (before + hour))
    expect(
      cookieDrift,
      `🚨 with createApp({ maxAge: ${hour} }) the cookie should expire in one hour: pass maxAge to the cookie options.`,
    ).toBeLessThan(60_000)

    const document = await database.db
      .collection<{ _id: string; expires: Date }>('sessions')
      .findOne({ _id: sessionIdOf(line) ?? '' })
    const documentDrift = Math.abs((document?.expires.getTime() ?? 0) - (before + hour))
    expect(
      documentDrift,
      "🚨 the document's expires should be the cookie's expiry (connect-mongo copies cookie.expires; ttl is only the fallback).",
    ).toBeLessThan(60_000)
  })

  it('is cleared at logout with the attributes it was set with, Secure included', async () => {
    const store = await buildStore(database.url)
    const app = await buildApp({ secret, store, trustProxy: 1 })
    for (const proto of ['https', 'http']) {
      const login = await request(app).post('/login').set('X-Forwarded-Proto', proto).send({ username: name() })
      const logout = await request(app).post('/logout').set('X-Forwarded-Proto', proto).set('Cookie', cookieOf(login))
      const cleared = cookieLine(logout)
      expect(cleared, "🚨 POST /logout should clear the cookie: res.clearCookie('connect.sid', options).").toMatch(
        /Expires=Thu, 01 Jan 1970/i,
      )
      expect(
        attributesOf(cleared),
        `🚨 over ${proto}, the logout's Set-Cookie should have the login's attributes: clear with the same options, secure: req.secure in place of 'auto'.`,
      ).toEqual(attributesOf(cookieLine(login)))
    }
  })
})

describe('secret rotation', () => {
  it('still accepts a cookie signed with the previous secret, and signs new cookies with the first', async () => {
    const store = await buildStore(database.url)
    const before = await buildApp({ secret: 'the previous secret', store })
    const username = name()
    const login = await request(before).post('/login').send({ username })
    expect(login.status, '🚨 POST /login should answer 200 (step 05).').toBe(200)

    const after = await buildApp({ secret: ['the new secret', 'the previous secret'], store })
    const me = await request(after).get('/me').set('Cookie', cookieOf(login))
    expect(
      me.status,
      `🚨 after a rotation, a cookie signed with the old secret should still work: pass every secret to session({ secret }), the new one first (${where}/app.ts, AppOptions.secret: string | string[]).`,
    ).toBe(200)
    expect(me.body, '🚨 the old cookie should open the same session, with its user.').toMatchObject({ name: username })

    const fresh = await request(after).post('/login').send({ username: name() })
    const line = cookieLine(fresh)
    const id = sessionIdOf(line) ?? ''
    expect(
      decodeURIComponent(line?.split(';')[0]?.slice('connect.sid='.length) ?? ''),
      '🚨 new cookies should be signed with the first secret of the array.',
    ).toBe(`s:${sign(id, 'the new secret')}`)
  })

  it('refuses a cookie signed with a secret it does not know', async () => {
    const store = await buildStore(database.url)
    const app = await buildApp({ secret: ['the new secret', 'the previous secret'], store })
    const login = await request(app).post('/login').send({ username: name() })
    const id = sessionIdOf(cookieLine(login)) ?? ''
    const forged = `connect.sid=${encodeURIComponent(`s:${sign(id, 'a secret nobody configured')}`)}`
    const me = await request(app).get('/me').set('Cookie', forged)
    expect(
      me.status,
      '🚨 a cookie signed with an unknown secret must get a fresh session (401), never the session it names and never a 500.',
    ).toBe(401)
  })
})

describe('the session store', () => {
  it('with touchAfter, repeated reads of an unchanged session write nothing to MongoDB', async () => {
    const client = new MongoClient(database.url, { monitorCommands: true })
    cleanups.push(() => client.close())
    const writes: string[] = []
    let reads = 0
    client.on('commandStarted', (event: CommandStartedEvent) => {
      if (event.command[event.commandName] !== 'sessions') return
      if (['insert', 'update', 'delete', 'findAndModify'].includes(event.commandName)) writes.push(event.commandName)
      if (event.commandName === 'find') reads++
    })
    const store = await buildStore(client)
    const app = await buildApp({ secret, store })

    const login = await request(app).post('/login').send({ username: name() })
    expect(login.status, '🚨 POST /login should answer 200 (step 05).').toBe(200)
    expect(
      writes.length,
      `🚨 the login wrote nothing through the MongoClient given to createSessionStore(client): use it, MongoStore.create({ client }) in ${where}/store.ts.`,
    ).toBeGreaterThan(0)

    writes.length = 0
    reads = 0
    const cookie = cookieOf(login)
    for (let i = 0; i < 5; i++) {
      expect(
        (await request(app).get('/me').set('Cookie', cookie)).status,
        '🚨 GET /me should answer the logged-in user (step 05).',
      ).toBe(200)
    }
    expect(
      reads,
      '🚨 the check saw no session reads through the MongoClient it gave createSessionStore(client).',
    ).toBeGreaterThanOrEqual(5)
    expect(
      writes.length,
      `🚨 5 reads of an unchanged session wrote ${writes.length} times to MongoDB (${writes.join(', ')}): set touchAfter (in seconds, e.g. 24 * 60 * 60) in MongoStore.create() in ${where}/store.ts.`,
    ).toBe(0)
  })

  // express-session writes the session again when an answer ends (after regenerate(), even after
  // the route's own save()). When MongoDB goes away, that late write fails too, and an error that
  // reaches Express after the answer has started makes it destroy the connection: the browser's
  // next request on that keep-alive connection fails. Both moments of an outage, at login:
  it.each([
    {
      when: 'before the login is saved',
      failFrom: 1,
      status: 503,
      fix: 'before answering 503, drop the session: delete req.session',
    },
    {
      when: 'after the login was saved and answered',
      failFrom: 2,
      status: 200,
      fix: 'return without next(error) when res.writableEnded and MongoDB is unreachable',
    },
  ])('an outage that starts $when keeps the connection whole', async ({ failFrom, status: expected, fix }) => {
    const store = await buildStore(database.url)
    const save = store.set.bind(store)
    let writes = 0
    store.set = (sid, session, callback) => {
      if (++writes < failFrom) return save(sid, session, callback)
      setImmediate(() => callback?.(new MongoNetworkError('connection closed')))
    }
    const app = await buildApp({ secret, store })
    const server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening))
    })
    cleanups.push(() => new Promise((resolve) => server.close(resolve)))
    const username = name()

    // A keep-alive connection, as browsers use: the next request would travel on the same socket.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    cleanups.push(async () => agent.destroy())
    const { status, body, cut } = await new Promise<{ status?: number; body: string; cut: boolean }>(
      (resolve, reject) => {
        const login = httpRequest(
          {
            port: (server.address() as AddressInfo).port,
            host: '127.0.0.1',
            method: 'POST',
            path: '/login',
            agent,
            headers: { 'content-type': 'application/json' },
          },
          (response) => {
            let text = ''
            response.on('data', (chunk: Buffer) => (text += chunk.toString()))
            response.on('end', () => {
              let cut = false
              login.socket?.once('close', () => (cut = true))
              setTimeout(() => resolve({ status: response.statusCode, body: text, cut }), 300)
            })
          },
        )
        login.on('error', (error) =>
          reject(
            new Error(
              `🚨 the connection was cut during POST /login (${error.message}): in the error handler of ${where}/app.ts, ${fix}.`,
            ),
          ),
        )
        login.end(JSON.stringify({ username }))
      },
    )
    expect(status, `🚨 POST /login should answer ${expected} here (${body}).`).toBe(expected)
    if (expected === 200) expect(body, '🚨 POST /login should answer the user.').toContain(username)
    expect(
      cut,
      `🚨 the server cut the connection after POST /login had answered, so the browser's next request fails: in the error handler of ${where}/app.ts, ${fix}.`,
    ).toBe(false)
  })

  it('with an encryption secret, keeps no readable user in MongoDB', async () => {
    const store = await buildStore(database.url, {
      encryptionSecret: 'a check secret of at least thirty-two characters',
    })
    const app = await buildApp({ secret, store })
    const username = name()
    const login = await request(app).post('/login').send({ username })
    expect(login.status, '🚨 POST /login should answer 200 with an encrypting store too.').toBe(200)

    const documents = await database.db.collection('sessions').find().toArray()
    expect(documents.length, '🚨 the login should store one session document.').toBe(1)
    const stored = JSON.stringify(documents)
    expect(
      stored.includes(username),
      `🚨 the user's name is readable in MongoDB: with createSessionStore(mongo, { encryptionSecret }), set cryptoAdapter: createWebCryptoAdapter({ secret: encryptionSecret }) in ${where}/store.ts.`,
    ).toBe(false)
    expect(
      stored.includes('"user'),
      '🚨 the session document still shows its fields in clear: the whole session should be encrypted.',
    ).toBe(false)

    const me = await request(app).get('/me').set('Cookie', cookieOf(login))
    expect(me.body, '🚨 an encrypted session should still read back: GET /me should answer the user.').toMatchObject({
      name: username,
    })
  })
})

/**
 * Waits until the process ends (its exit code) or says it listens ('listening': it did not
 * refuse), at most timeoutMs ('timeout').
 */
async function refusalOf(server: RunningServer, timeoutMs: number): Promise<number | string | null> {
  const { child } = server
  const exited = new Promise<number | string | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode ?? child.signalCode)
    else child.once('exit', (code, signal) => resolve(code ?? signal))
  })
  const listened = server.waitFor(/listening on port/i, timeoutMs).then(
    () => 'listening',
    () => 'timeout',
  )
  const first = await Promise.race([exited, listened])
  // The process may print and exit at once: an exit code wins over the output seen on the way.
  return first === 'listening' || first === 'timeout' ? (child.exitCode ?? first) : first
}

describe('server.ts refuses to start', () => {
  let server: RunningServer | undefined
  afterEach(async () => {
    await server?.stop('SIGKILL', 2000)
    server = undefined
  })

  it('in production with the default secret, in one sentence', async () => {
    server = startServer(dir, {
      PORT: String(await freePort()),
      MONGO_URL: database.url,
      NODE_ENV: 'production',
      SESSION_SECRET: undefined,
    })
    const exit = await refusalOf(server, 20_000)
    const output = server.output()
    expect(
      exit,
      `🚨 with NODE_ENV=production and no SESSION_SECRET, ${where}/server.ts should exit with code 1 before listening (it printed: ${output.trim() || 'nothing'}).`,
    ).toBe(1)
    expect(
      output,
      '🚨 say why in one 🚨 sentence naming SESSION_SECRET: console.error(...), then process.exit(1).',
    ).toMatch(/🚨.*SESSION_SECRET/)
    expect(hasStackTrace(output), '🚨 refusing to start should print one sentence, not a stack trace.').toBe(false)
  })

  it('when MongoDB does not answer, in one sentence', async () => {
    const nobody = `mongodb://127.0.0.1:${await freePort()}/nobody`
    server = startServer(dir, { PORT: String(await freePort()), MONGO_URL: nobody, SESSION_SECRET: secret })
    const exit = await refusalOf(server, 20_000)
    const output = server.output()
    expect(
      exit,
      `🚨 with no MongoDB at MONGO_URL, ${where}/server.ts should exit with code 1 within seconds (await client.connect() before creating the store, with a short serverSelectionTimeoutMS); it printed: ${output.trim() || 'nothing'}.`,
    ).toBe(1)
    expect(output, '🚨 say why in one 🚨 sentence: console.error(...), then process.exit(1).').toContain('🚨')
    expect(hasStackTrace(output), '🚨 when MongoDB is down at start, print one sentence, not a stack trace.').toBe(
      false,
    )
  })
})

describe('server.ts in production, with MongoDB behind a proxy the check can cut', () => {
  let own: Awaited<ReturnType<typeof checkDatabase>>
  let proxy: TcpProxy
  let server: RunningServer
  let base = ''
  let cookie = ''
  let username = ''

  beforeAll(async () => {
    own = await checkDatabase('06-outage')
    proxy = await startTcpProxy(mongoTarget(own.url))
    const port = await freePort()
    base = `http://127.0.0.1:${port}`
    server = startServer(dir, {
      PORT: String(port),
      MONGO_URL: throughProxy(own.url, proxy),
      NODE_ENV: 'production',
      SESSION_SECRET: secret,
      TRUST_PROXY: '1',
    })
  })
  afterAll(async () => {
    await server.stop('SIGKILL', 2000)
    await proxy.close()
    await own.drop()
  })

  /** A request to the running server that gives up after timeoutMs. */
  const call = (path: string, init: RequestInit = {}, timeoutMs = 8000) =>
    fetch(`${base}${path}`, {
      ...init,
      headers: { Cookie: cookie, ...init.headers },
      signal: AbortSignal.timeout(timeoutMs),
    })

  it('starts with SESSION_SECRET set, and trusts TRUST_PROXY for Secure cookies', async () => {
    await server.waitFor(/App listening on port/, 20_000).catch((error: Error) => {
      throw new Error(
        `🚨 ${where}/server.ts should start with NODE_ENV=production and SESSION_SECRET set (${error.message.split('\n')[0]}).`,
      )
    })
    username = name()
    const login = await call('/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Forwarded-Proto': 'https' },
      body: JSON.stringify({ username }),
    })
    expect(login.status, '🚨 POST /login on the running server should answer 200.').toBe(200)
    const line = login.headers.getSetCookie().find((candidate) => candidate.startsWith('connect.sid='))
    cookie = line?.split(';')[0] ?? ''
    expect(
      isSecure(line),
      `🚨 with TRUST_PROXY=1, a login that came over HTTPS through the proxy should get a Secure cookie: read TRUST_PROXY in ${where}/server.ts and pass it as createApp({ trustProxy }).`,
    ).toBe(true)
  })

  it('answers 503 with a JSON error while MongoDB is cut off, and recovers by itself', async () => {
    expect(cookie, '🚨 the server did not start or log in (see the test before).').not.toBe('')
    proxy.cut()
    for (let attempt = 0; attempt < 2; attempt++) {
      const started = Date.now()
      const response = await call('/me').catch((error: Error) => {
        throw new Error(
          `🚨 GET /me did not answer within 8 s while MongoDB was unreachable (${error.message}): give the MongoClient a short serverSelectionTimeoutMS (e.g. 2000) in ${where}/store.ts.`,
        )
      })
      expect(
        response.status,
        `🚨 while MongoDB is unreachable, GET /me should answer 503 (it answered ${response.status} after ${Date.now() - started} ms): add an error handler for MongoServerSelectionError and MongoNetworkError in ${where}/app.ts.`,
      ).toBe(503)
      expect(
        response.headers.get('content-type') ?? '',
        "🚨 the 503 should be JSON: res.status(503).json({ error: '...' }).",
      ).toMatch(/application\/json/)
      const body = (await response.json()) as { error?: unknown }
      expect(body.error, "🚨 the 503 should say what happened: { error: 'Sessions are unavailable: ...' }.").toBeTypeOf(
        'string',
      )
    }
    expect(
      server.child.exitCode,
      '🚨 the server process ended during the outage: pass MongoDB errors to next(err), never throw them.',
    ).toBeNull()
    expect(
      (await call('/health')).status,
      '🚨 GET /health needs no session and should answer 200 during the outage.',
    ).toBe(200)

    proxy.restore()
    let status = 0
    let body: unknown
    // Bounded: up to 30 tries, about 15 s, for the driver to find MongoDB again.
    for (let attempt = 0; attempt < 30 && status !== 200; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 500))
      const response = await call('/me').catch(() => undefined)
      status = response?.status ?? 0
      body = status === 200 ? await response?.json() : undefined
    }
    expect(
      status,
      `🚨 after MongoDB came back, GET /me should answer 200 again without a restart (it answered ${status}).`,
    ).toBe(200)
    expect(body, '🚨 after the outage, the session should still hold the user.').toMatchObject({ name: username })
  })

  it('closes the server, the store and the client on SIGTERM, and exits with code 0', async () => {
    expect(server.child.exitCode, '🚨 the server is not running (see the tests before).').toBeNull()
    const exit = await server.stop('SIGTERM', 5000)
    expect(
      exit,
      `🚨 ${where}/server.ts should exit by itself with code 0 within 5 s of SIGTERM: server.close(), then store.close() and client.close() (it printed: ${server.output().trim()}).`,
    ).toBe(0)
  })
})
