// Check 07: several instances of the app share one session store. Every response names the
// instance that answered it, and the store is set up for a replica set: majority-acknowledged
// writes, sessions read from the primary, writes retried across an election. (The failover itself
// needs a real replica set, which the test server cannot form: the lesson shows it with Docker.)
import type { Express } from 'express'
import type { Store } from 'express-session'
import { MongoClient, type CommandStartedEvent, type Document } from 'mongodb'
import request from 'supertest'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startBalancer, type Balancer } from '../tools/lib/balancer.js'
import { freePort } from '../tools/lib/ports.js'
import { startServer, type RunningServer } from './support/server-process.js'
import {
  checkDatabase,
  closeStore,
  findCookie,
  loadModule,
  secret,
  sessionIdOf,
  shortDir,
  workshopDir,
} from './support/workshop.js'

const dir = workshopDir('07-scale-out')
const where = shortDir(dir)

/** What step 07 adds to createApp's options. */
interface AppOptions {
  secret: string | string[]
  store?: Store
  trustProxy?: number | boolean
  maxAge?: number
  instance?: string
}
type ClosableStore = Store & { close?: () => Promise<void>; collectionP?: Promise<unknown> }
interface AppModule {
  createApp(options: AppOptions): Express
}
interface StoreModule {
  createMongoClient(mongoUrl: string): MongoClient
  createSessionStore(mongo: MongoClient | string, options?: { encryptionSecret?: string }): ClosableStore
}

let database: Awaited<ReturnType<typeof checkDatabase>>
const cleanups: Array<() => Promise<unknown> | undefined> = []

beforeEach(async () => {
  database = await checkDatabase('07')
})
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()?.catch(() => {})
  await database.drop()
})

async function storeModule(): Promise<StoreModule> {
  const module = await loadModule<StoreModule>(dir, 'store.ts')
  expect(
    module.createMongoClient,
    `🚨 ${where}/store.ts should export createMongoClient(mongoUrl) (step 06).`,
  ).toBeTypeOf('function')
  return module
}

/** One instance as server.ts builds it: its own MongoClient, its own store, its name. */
async function buildInstance(instance: string, client?: MongoClient): Promise<Express> {
  const { createMongoClient, createSessionStore } = await storeModule()
  const own = client ?? createMongoClient(database.url)
  if (!client) cleanups.push(() => own.close())
  const store = createSessionStore(own)
  cleanups.push(() => closeStore(store))
  await store.collectionP?.catch((error: Error) => {
    throw new Error(
      `🚨 createSessionStore(client) in ${where}/store.ts could not use its MongoClient (${error.message.split('\n')[0]}).`,
    )
  })
  const { createApp } = await loadModule<AppModule>(dir, 'app.ts')
  return createApp({ secret, store, instance })
}

const cookieOf = (response: request.Response) =>
  findCookie(response.headers['set-cookie'], 'connect.sid')?.split(';')[0] ?? ''
const name = () => `ada-${Math.random().toString(36).slice(2, 10)}`
const sessions = () => database.db.collection<{ _id: string }>('sessions')

/** Expects the X-Instance header to name the instance that answered. */
function expectInstance(
  response: { headers: Record<string, unknown> } | Response,
  instance: string,
  what: string,
): void {
  const header = response instanceof Response ? response.headers.get('x-instance') : response.headers['x-instance']
  expect(
    header,
    `🚨 ${what} should carry the header X-Instance: ${instance}: add createApp's instance option and a first middleware, res.set('X-Instance', instance), in ${where}/app.ts.`,
  ).toBe(instance)
}

describe('three instances, one session store', () => {
  it('a session created through instance a is read through b and c, each naming itself', async () => {
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((instance) => buildInstance(instance)))
    const username = name()
    const login = await request(a).post('/login').send({ username })
    expect(login.status, '🚨 POST /login should answer 200 (step 05).').toBe(200)
    expectInstance(login, 'a', 'the login through instance a')
    const cookie = cookieOf(login)

    for (const [instance, app] of [
      ['b', b],
      ['c', c],
    ] as const) {
      const me = await request(app).get('/me').set('Cookie', cookie)
      expect(
        me.status,
        `🚨 instance ${instance} should know the session that instance a created: every instance must keep sessions in the same MongoDB database (session({ store })).`,
      ).toBe(200)
      expect(
        me.body,
        `🚨 instance ${instance} should answer the user that logged in through instance a.`,
      ).toMatchObject({ name: username })
      expectInstance(me, instance, `GET /me through instance ${instance}`)
    }
    const id = sessionIdOf(findCookie(login.headers['set-cookie'], 'connect.sid')) ?? ''
    expect(
      await sessions().countDocuments({ _id: id }),
      '🚨 the session should be one document in MongoDB, shared by every instance.',
    ).toBe(1)
  })

  it('a session ended through c is gone for a, and from MongoDB', async () => {
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((instance) => buildInstance(instance)))
    const login = await request(a).post('/login').send({ username: name() })
    expect(login.status, '🚨 POST /login should answer 200 (step 05).').toBe(200)
    const cookie = cookieOf(login)
    const id = sessionIdOf(findCookie(login.headers['set-cookie'], 'connect.sid')) ?? ''
    expect(
      (await request(b).get('/me').set('Cookie', cookie)).status,
      '🚨 instance b should know the session of instance a.',
    ).toBe(200)

    const logout = await request(c).post('/logout').set('Cookie', cookie)
    expect(logout.status, '🚨 POST /logout through instance c should answer 204 (step 05).').toBe(204)
    expectInstance(logout, 'c', 'the logout through instance c')
    expect(
      await sessions().countDocuments({ _id: id }),
      '🚨 after a logout through instance c, the session document should be gone from MongoDB.',
    ).toBe(0)

    const me = await request(a).get('/me').set('Cookie', cookie)
    expect(
      me.status,
      '🚨 a session ended through instance c must be over for instance a too: keep no copy of sessions in the app, only in the store.',
    ).toBe(401)
    expectInstance(me, 'a', 'the 401 of instance a')
  })

  it('every response names the instance: /health, a 404, a 400, and a default name without the option', async () => {
    const app = await buildInstance('b')
    const health = await request(app).get('/health')
    expect(health.status, '🚨 GET /health should answer 200 (step 01).').toBe(200)
    expectInstance(health, 'b', 'GET /health')
    expectInstance(await request(app).get('/nowhere'), 'b', 'a 404')
    expectInstance(await request(app).post('/login').send({}), 'b', 'a 400 from POST /login')

    const { createApp } = await loadModule<AppModule>(dir, 'app.ts')
    const unnamed = await request(createApp({ secret })).get('/health')
    expect(
      unnamed.headers['x-instance'],
      `🚨 without the instance option, X-Instance should still name the instance (default: os.hostname()) in ${where}/app.ts.`,
    ).toMatch(/\S/)
  })
})

describe('the session store, set up for a replica set', () => {
  it('asks for majority-acknowledged writes, with a timeout, on every write to sessions', async () => {
    const client = new MongoClient(database.url, { monitorCommands: true })
    cleanups.push(() => client.close())
    const writes: Array<{ command: string; writeConcern: Document | undefined }> = []
    client.on('commandStarted', (event: CommandStartedEvent) => {
      if (event.command[event.commandName] !== 'sessions') return
      if (['insert', 'update', 'delete', 'findAndModify'].includes(event.commandName)) {
        writes.push({ command: event.commandName, writeConcern: event.command.writeConcern as Document | undefined })
      }
    })
    const app = await buildInstance('a', client)

    const first = await request(app).post('/login').send({ username: name() })
    expect(first.status, '🚨 POST /login should answer 200 (step 05).').toBe(200)
    // A second login on the same session regenerates it (a delete), then a logout deletes it.
    const second = await request(app).post('/login').set('Cookie', cookieOf(first)).send({ username: name() })
    expect(
      (await request(app).post('/logout').set('Cookie', cookieOf(second))).status,
      '🚨 POST /logout should answer 204 (step 05).',
    ).toBe(204)

    const kinds = new Set(writes.map((write) => write.command))
    expect(
      kinds.has('update') && kinds.has('delete'),
      `🚨 the check saw no saves and deletes through the MongoClient given to createSessionStore(client) (it saw: ${[...kinds].join(', ') || 'nothing'}): use it, MongoStore.create({ client }) in ${where}/store.ts.`,
    ).toBe(true)
    for (const { command, writeConcern } of writes) {
      const seen = JSON.stringify(writeConcern ?? null)
      expect(
        writeConcern?.w,
        `🚨 the ${command} command on sessions was sent with writeConcern ${seen}: set writeOperationOptions: { w: 'majority', wtimeoutMS: 5000 } in MongoStore.create() in ${where}/store.ts.`,
      ).toBe('majority')
      expect(
        Number(writeConcern?.wtimeout),
        `🚨 the ${command} command on sessions has no write timeout (${seen}): add wtimeoutMS (e.g. 5000) to writeOperationOptions, or a write waits for ever when too few members are up.`,
      ).toBeGreaterThan(0)
    }
  })

  it('reads sessions from the primary and retries writes, whatever the connection string says', async () => {
    const { createMongoClient } = await storeModule()
    // Never connected: the client's options are read as they were parsed.
    const url =
      'mongodb://127.0.0.1:27021,127.0.0.1:27022,127.0.0.1:27023/test-app?replicaSet=rs0&readPreference=secondaryPreferred&retryWrites=false'
    const client = createMongoClient(url)
    cleanups.push(() => client.close())
    expect(
      client.options.hosts.map(String),
      `🚨 createMongoClient(mongoUrl) in ${where}/store.ts should connect to every host of the URL.`,
    ).toEqual(['127.0.0.1:27021', '127.0.0.1:27022', '127.0.0.1:27023'])
    expect(client.options.replicaSet, "🚨 createMongoClient(mongoUrl) should keep the URL's replicaSet=rs0.").toBe(
      'rs0',
    )
    expect(
      client.readPreference.mode,
      `🚨 with readPreference=secondaryPreferred in MONGO_URL, sessions would be read from secondaries, which lag behind (a login not there yet, a logout not yet applied): set readPreference: 'primary' in new MongoClient(mongoUrl, { ... }) in ${where}/store.ts.`,
    ).toBe('primary')
    expect(
      client.options.retryWrites,
      `🚨 with retryWrites=false in MONGO_URL, a save cut off by an election would fail: set retryWrites: true in new MongoClient(mongoUrl, { ... }) in ${where}/store.ts.`,
    ).toBe(true)
  })
})

describe('server.ts, two processes behind a round-robin load balancer', () => {
  const servers: RunningServer[] = []
  let balancer: Balancer | undefined
  afterEach(async () => {
    await balancer?.close()
    balancer = undefined
    await Promise.all(servers.splice(0).map((server) => server.stop('SIGKILL', 2000)))
  })

  it('names each process after INSTANCE, and a login through one is the user on the other', async () => {
    const ports = await Promise.all([freePort(), freePort()])
    for (const [index, instance] of ['a', 'b'].entries()) {
      servers.push(
        startServer(dir, {
          PORT: String(ports[index]),
          MONGO_URL: database.url,
          SESSION_SECRET: secret,
          TRUST_PROXY: '1',
          INSTANCE: instance,
        }),
      )
    }
    await Promise.all(
      servers.map((server) =>
        server.waitFor(/App listening on port \d+/, 20_000).catch((error: Error) => {
          throw new Error(`🚨 ${where}/server.ts should start with INSTANCE set (${error.message.split('\n')[0]}).`)
        }),
      ),
    )
    for (const [index, instance] of ['a', 'b'].entries()) {
      const health = await fetch(`http://127.0.0.1:${ports[index]}/health`)
      expect(health.status, '🚨 GET /health on the running server should answer 200.').toBe(200)
      const header = health.headers.get('x-instance')
      expect(
        header,
        `🚨 GET /health on the running server has no X-Instance header: set it in a first middleware in ${where}/app.ts.`,
      ).not.toBeNull()
      expect(
        header,
        `🚨 started with INSTANCE=${instance}, the server should answer X-Instance: ${instance}: read INSTANCE in ${where}/server.ts and pass it as createApp({ instance }).`,
      ).toBe(instance)
    }

    balancer = await startBalancer(0, ports)
    const base = `http://127.0.0.1:${balancer.port}`
    const username = name()
    const login = await fetch(`${base}/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username }),
    })
    expect(login.status, '🚨 POST /login through the balancer should answer 200.').toBe(200)
    const cookie =
      login.headers
        .getSetCookie()
        .find((line) => line.startsWith('connect.sid='))
        ?.split(';')[0] ?? ''
    const answeredBy = new Set([login.headers.get('x-instance')])
    for (let i = 0; i < 3; i++) {
      const me = await fetch(`${base}/me`, { headers: { Cookie: cookie } })
      answeredBy.add(me.headers.get('x-instance'))
      expect(
        me.status,
        `🚨 GET /me through the balancer, answered by instance ${me.headers.get('x-instance')}, should know the login (same MONGO_URL, same SESSION_SECRET).`,
      ).toBe(200)
      expect(await me.json(), '🚨 every instance should answer the same user.').toMatchObject({ name: username })
    }
    expect(
      [...answeredBy].sort(),
      '🚨 the balancer alternates between the two processes: both should have answered, each with its own X-Instance.',
    ).toEqual(['a', 'b'])
  })
})
