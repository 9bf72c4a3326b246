// Check 09: several instances of the app share one session store. Every answer names the
// instance that gave it, and the client is set up for a replica set: majority-acknowledged
// writes, sessions read from the primary, writes retried across an election. (An election itself
// needs a real replica set, which the test server cannot form: the lesson shows it with Docker.)
import type { Express } from 'express'
import type { Store } from 'express-session'
import { type CommandStartedEvent, type Document, type MongoClient, MongoWriteConcernError } from 'mongodb'
import request from 'supertest'
import { describe, it } from 'vitest'
import { freePort } from '../tools/lib/ports.js'
import { aName, answer, cookieLine, cookieOf, sessionIdOf } from './support/http.js'
import { learnerServers } from './support/learner-server.js'
import { calling, checkedStep, checkFixtures, closeStore, must, secret, thrownBy } from './support/workshop.js'

const step = checkedStep('09-scale-out')
const { where } = step
const servers = learnerServers(step)

type CreateApp = (options: { secret: string; store?: Store; instance?: string }) => Express
type Config = Record<string, unknown>

const fixtures = checkFixtures(step, '09')
const { database, cleanup: afterTest } = fixtures

async function modules() {
  return { ...(await fixtures.storeModule()), createApp: await fixtures.createApp<Parameters<CreateApp>[0]>() }
}

/** One instance as server.ts builds it: its own client (from createMongoClient), its own store, its name. */
async function instance(name: string, watch?: (client: MongoClient) => void): Promise<Express> {
  const { createMongoClient, createSessionStore, createApp } = await modules()
  const client = await calling(`createMongoClient() in ${where}/store.ts`, () => createMongoClient(database.url))
  watch?.(client)
  afterTest(() => client.close())
  const store = await calling(`createSessionStore(client) in ${where}/store.ts`, () => createSessionStore(client))
  afterTest(() => closeStore(store))
  await store.collectionP?.catch(() => {})
  return createApp({ secret, store, instance: name })
}

function mustName(response: request.Response, name: string, what: string): void {
  const header = response.headers['x-instance']
  must(
    header === name,
    `${what} should carry the header X-Instance: ${name} (it carried ${header === undefined ? 'none' : JSON.stringify(header)}): give createApp an instance option, and set the header in a middleware that comes first, in ${where}/app.ts.`,
  )
}

describe('three instances, one session store', () => {
  it('a session created through instance a is known to b and c, and each names itself', async () => {
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((name) => instance(name)))
    const name = aName()
    const login = await answer(request(a).post('/login').send({ username: name }), 'POST /login through instance a')
    must(
      login.status === 200,
      `POST /login answered ${login.status}: the login of an earlier step should still work (${where}/auth.ts).`,
    )
    mustName(login, 'a', 'the login through instance a')
    for (const [other, app] of [
      ['b', b],
      ['c', c],
    ] as const) {
      const me = await answer(
        request(app).get('/me').set('Cookie', cookieOf(login)),
        `GET /me through instance ${other}`,
      )
      must(
        me.status === 200 && (me.body as { name?: unknown }).name === name,
        `instance ${other} should know the login made through instance a: every instance keeps its sessions in the same database.`,
      )
      mustName(me, other, `GET /me through instance ${other}`)
    }
  })

  it('a logout through c is a logout for a, and in MongoDB', async () => {
    const [a, c] = await Promise.all(['a', 'c'].map((name) => instance(name)))
    const login = await answer(request(a).post('/login').send({ username: aName() }), 'POST /login')
    const id = sessionIdOf(cookieLine(login))
    const logout = await answer(
      request(c).post('/logout').set('Cookie', cookieOf(login)),
      'POST /logout through instance c',
    )
    must(
      logout.status === 204 || logout.status === 200,
      `POST /logout through instance c answered ${logout.status} (${where}/auth.ts).`,
    )
    mustName(logout, 'c', 'the logout through instance c')
    must(
      !(await database.stored(id)),
      'after a logout through instance c, the session document should be gone from MongoDB.',
    )
    const me = await answer(request(a).get('/me').set('Cookie', cookieOf(login)), 'GET /me through instance a')
    must(
      me.status === 401,
      'a session ended through instance c must be over for instance a too: keep no copy of sessions in the app.',
    )
    mustName(me, 'a', 'the 401 of instance a')
  })

  it('every answer names the instance: /health, a 404, a 400; and a default name without the option', async () => {
    const app = await instance('b')
    const health = await answer(request(app).get('/health'), 'GET /health')
    mustName(health, 'b', 'GET /health')
    must(
      (health.body as { instance?: unknown }).instance === 'b',
      `GET /health should say which instance answered, in its JSON (an instance field) (${where}/app.ts).`,
    )
    mustName(await answer(request(app).get('/nowhere'), 'GET /nowhere'), 'b', 'a 404')
    mustName(
      await answer(request(app).post('/login').send({}), 'POST /login without a name'),
      'b',
      'a 400 from POST /login',
    )
    const { createApp } = await modules()
    const unnamed = await answer(request(createApp({ secret })).get('/health'), 'GET /health')
    must(
      /\S/.test(String(unnamed.headers['x-instance'] ?? '')),
      `without the instance option, X-Instance should still name the instance: the machine's name by default (node:os hostname) in ${where}/app.ts.`,
    )
  })

  it('INSTANCE names it: readConfig gives instance, the machine name when unset, and refuses a name unfit for a header', async () => {
    const readConfig = await step.readConfig<Config>()
    const env = { PORT: '4000', MONGO_URL: database.url, SESSION_SECRET: secret }
    must(
      readConfig({ ...env, INSTANCE: 'b' }).instance === 'b',
      `readConfig({ INSTANCE: 'b' }) should give the instance 'b' (${where}/config.ts).`,
    )
    must(
      /\S/.test(String(readConfig(env).instance ?? '')),
      `without INSTANCE, the instance should be the machine's name (node:os hostname) (${where}/config.ts).`,
    )
    const sentence = thrownBy(() => readConfig({ ...env, INSTANCE: 'a b\r\nX-Evil: 1' }))
    must(
      /INSTANCE/.test(sentence),
      'INSTANCE goes into a response header: refuse anything but letters, digits, ".", "-" and "_", in a sentence naming INSTANCE.',
    )
  })
})

describe('where it listens', () => {
  it('on HOST when it is set (127.0.0.1: this machine only), on every interface when not', async () => {
    const readConfig = await step.readConfig<Config>()
    const env = { PORT: '4000', MONGO_URL: database.url, SESSION_SECRET: secret }
    must(
      readConfig({ ...env, HOST: '127.0.0.1' }).host === '127.0.0.1',
      `readConfig({ HOST: '127.0.0.1' }) should give the host '127.0.0.1' (${where}/config.ts).`,
    )
    must(
      readConfig({ ...env, HOST: '' }).host === undefined,
      'an empty HOST counts as unset: host undefined, every interface.',
    )
    const port = await freePort()
    await servers.started({ ...env, PORT: String(port), HOST: '127.0.0.1' })
    const health = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined)
    must(
      health?.status === 200,
      `started with HOST=127.0.0.1, the server should answer on 127.0.0.1:${port}: listen on the host when one is given (app.listen takes it after the port) in ${where}/server.ts.`,
    )
  })
})

describe('the client, set up for a replica set', () => {
  it('asks for majority-acknowledged writes, with a time limit, on every write to sessions', async () => {
    const writes: Array<{ command: string; writeConcern: Document | undefined }> = []
    const app = await instance('a', (client) => {
      // Command monitoring, switched on before the client's first connection.
      ;(client as unknown as { monitorCommands: boolean }).monitorCommands = true
      client.on('commandStarted', (event: CommandStartedEvent) => {
        if (event.command[event.commandName] !== 'sessions') return
        if (['insert', 'update', 'delete', 'findAndModify'].includes(event.commandName)) {
          writes.push({ command: event.commandName, writeConcern: event.command.writeConcern as Document | undefined })
        }
      })
    })
    const first = await answer(request(app).post('/login').send({ username: aName() }), 'POST /login')
    const second = await answer(
      request(app).post('/login').set('Cookie', cookieOf(first)).send({ username: aName() }),
      'POST /login again',
    )
    await answer(request(app).post('/logout').set('Cookie', cookieOf(second)), 'POST /logout')
    const kinds = new Set(writes.map((write) => write.command))
    must(
      kinds.has('update') && kinds.has('delete'),
      `the check saw no saves and deletes through the client createMongoClient() built: createSessionStore() should use the client it is given (${where}/store.ts).`,
    )
    for (const { command, writeConcern } of writes) {
      const seen = JSON.stringify(writeConcern ?? null)
      must(
        writeConcern?.w === 'majority',
        `the ${command} command on sessions went out with writeConcern ${seen}: ask for majority-acknowledged writes (the client's writeConcern, w) in ${where}/store.ts.`,
      )
      const limit = Number(writeConcern?.wtimeout)
      must(
        limit > 0,
        `the ${command} command on sessions has no time limit (${seen}): give the write concern MongoDB's own limit (wtimeoutMS), or a write waits for ever when too few members are up (${where}/store.ts).`,
      )
    }
  })

  it("gives MongoDB's own write limit less time than the client's, so that MongoDB's answer comes first", async () => {
    const { createMongoClient } = await modules()
    const client = createMongoClient(database.url, 1000)
    afterTest(() => client.close())
    const wtimeout = Number(client.writeConcern?.wtimeoutMS ?? 0)
    const socket = client.options.socketTimeoutMS
    must(
      wtimeout > 0 && socket > 0 && wtimeout < socket,
      `the write concern's wtimeoutMS is ${wtimeout} ms and socketTimeoutMS ${socket} ms: the client stops listening first, and a write it reports as failed may still commit; give MongoDB's limit less time than the client's (${where}/store.ts).`,
    )
  })

  it('answers 503 with Retry-After when a majority does not confirm a write in time, as when MongoDB is away', async () => {
    const { createMongoClient, createSessionStore, createApp } = await modules()
    const client = await calling(`createMongoClient() in ${where}/store.ts`, () => createMongoClient(database.url))
    afterTest(() => client.close())
    const store = await calling(`createSessionStore(client) in ${where}/store.ts`, () => createSessionStore(client))
    afterTest(() => closeStore(store))
    // What the driver raises when MongoDB's write limit (wtimeoutMS) passes before a majority has
    // the write: a replica set that lost members. The test server has no members to lose, so the
    // store's write fails this way on purpose.
    const unconfirmed = new MongoWriteConcernError({
      writeConcernError: { code: 64, codeName: 'WriteConcernTimeout', errmsg: 'waiting for replication timed out' },
      ok: 1,
    } as ConstructorParameters<typeof MongoWriteConcernError>[0])
    store.set = (_id, _session, callback) => callback?.(unconfirmed)
    const app = createApp({ secret, store, instance: 'a' })
    const login = await answer(request(app).post('/login').send({ username: aName() }), 'POST /login')
    must(
      login.status === 503 && login.headers['retry-after'] !== undefined,
      `when a majority does not confirm the login's write within MongoDB's limit (a MongoWriteConcernError), POST /login answered ${login.status}${login.status === 503 ? ' without Retry-After' : ''}: the write may or may not last, so answer it as an outage, 503 with Retry-After, in the 503 handler of ${where}/errors.ts.`,
    )
  })

  it('reads sessions from the primary and retries writes, whatever the connection string says', async () => {
    const { createMongoClient } = await modules()
    const url =
      'mongodb://127.0.0.1:27021,127.0.0.1:27022,127.0.0.1:27023/test-app?replicaSet=rs0&readPreference=secondaryPreferred&retryWrites=false'
    const client = createMongoClient(url)
    afterTest(() => client.close())
    must(client.options.replicaSet === 'rs0', "createMongoClient(mongoUrl) should keep the URL's replicaSet=rs0.")
    must(
      client.readPreference.mode === 'primary',
      `with readPreference=secondaryPreferred in MONGO_URL, sessions would be read from secondaries, which lag behind (a login not there yet, a logout not yet applied): read from the primary whatever the URL says (the client's readPreference) in ${where}/store.ts.`,
    )
    must(
      client.options.retryWrites === true,
      `with retryWrites=false in MONGO_URL, a save cut off by an election would fail: retry writes whatever the URL says (the client's retryWrites) in ${where}/store.ts.`,
    )
  })
})
