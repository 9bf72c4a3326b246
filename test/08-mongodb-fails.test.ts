// Check 08: when MongoDB fails. Every wait on MongoDB is bounded, so a refused or a hung database
// gives a 503 with a JSON error and Retry-After, /health keeps answering, and the app serves again
// as soon as MongoDB is back; the server starts only with a database, in one sentence otherwise.
import { Agent, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { connect } from 'node:net'
import type { Express } from 'express'
import type { Store } from 'express-session'
import { MongoClient, MongoNetworkError } from 'mongodb'
import request from 'supertest'
import { describe, it } from 'vitest'
import { freePort } from '../tools/lib/ports.js'
import { mongoTarget, startTcpProxy, type TcpProxy, throughProxy } from '../tools/lib/tcp-proxy.js'
import { aName, answer, cookieOf } from './support/http.js'
import { learnerServers } from './support/learner-server.js'
import { limit } from './support/pace.js'
import {
  calling,
  checkedStep,
  checkFixtures,
  closeStore,
  exported,
  must,
  secret,
  thrownBy,
  usesClient,
  waitFor,
} from './support/workshop.js'

const step = checkedStep('08-mongodb-fails')
const { where } = step
const servers = learnerServers(step)

/**
 * The short wait the check gives the app (createMongoClient's timeoutMs, MONGO_TIMEOUT_MS), so an
 * outage is told in a fraction of a second: 300 ms, and longer when MongoDB is far away (a
 * connection needs a few round trips to open) or the machine busy.
 */
const shortWait = () => limit(300, 3)

const fixtures = checkFixtures(step, '08')
const { database, cleanup: afterTest } = fixtures
const storeModule = () => fixtures.storeModule()

/** The learner's app, client and store, as server.ts builds them, on a MongoDB URL. */
async function build(url: string, wait = shortWait()): Promise<Express> {
  const { createMongoClient, createSessionStore } = await storeModule()
  const client = await calling(`createMongoClient() in ${where}/store.ts`, () => createMongoClient(url, wait))
  afterTest(() => client.close())
  await calling('client.connect()', () => client.connect())
  const store = await calling(`createSessionStore(client) in ${where}/store.ts`, () => createSessionStore(client))
  afterTest(() => closeStore(store))
  await usesClient(step, store)
  const module = await step.load<Record<string, unknown>>('app.ts')
  const createApp = exported<(options: { secret: string; store: Store }) => Express>(
    module,
    'createApp',
    `${where}/app.ts`,
    'createApp(options)',
  )
  return createApp({ secret, store })
}

/** A proxy between the app and MongoDB that the check can cut (refuse) or hang (hold every byte). */
async function proxied(): Promise<{ proxy: TcpProxy; url: string }> {
  const proxy = await startTcpProxy(mongoTarget(database.url))
  afterTest(() => proxy.close())
  return { proxy, url: throughProxy(database.url, proxy) }
}

describe('createMongoClient(mongoUrl, timeoutMs)', () => {
  it('bounds every wait on MongoDB: finding a server, connecting, and each answer', async () => {
    const { createMongoClient } = await storeModule()
    const client = createMongoClient(database.url)
    afterTest(() => client.close())
    const { serverSelectionTimeoutMS, connectTimeoutMS, socketTimeoutMS, waitQueueTimeoutMS } = client.options
    const bounded = (value: number) => value > 0 && value <= 5000
    must(
      bounded(serverSelectionTimeoutMS),
      `serverSelectionTimeoutMS is ${serverSelectionTimeoutMS} ms: a refused database would hold every request that long (the default is 30 s); bound it with timeoutMs (default 1000) in ${where}/store.ts.`,
    )
    must(
      bounded(connectTimeoutMS),
      `connectTimeoutMS is ${connectTimeoutMS} ms: a connection that gets no answer would wait that long; bound it with timeoutMs (${where}/store.ts).`,
    )
    must(
      bounded(socketTimeoutMS),
      `socketTimeoutMS is ${socketTimeoutMS || 'unset (0: no limit)'}: a database that hangs after taking a request holds it for ever; bound it with timeoutMs (${where}/store.ts).`,
    )
    must(
      bounded(waitQueueTimeoutMS),
      `waitQueueTimeoutMS is ${waitQueueTimeoutMS || 'unset (0: no limit)'}: requests queue for ever behind connections stuck on a hung database; bound it with timeoutMs (${where}/store.ts).`,
    )
    const short = createMongoClient(database.url, 250)
    afterTest(() => short.close())
    must(
      short.options.serverSelectionTimeoutMS === 250 && short.options.socketTimeoutMS === 250,
      `createMongoClient(mongoUrl, 250) should use 250 ms for its time limits: the caller (server.ts, from MONGO_TIMEOUT_MS) chooses them (${where}/store.ts).`,
    )
  })
})

describe('while MongoDB is down', () => {
  // Both outages at once, each on its own proxy, client and app: the verdict waits for one, not two.
  // The first 🚨 told is the refused one's, as it would be one after the other.
  it('the app answers 503 with a JSON error at once when MongoDB refuses connections or hangs (takes requests, never answers), and serves again when it is back', async () => {
    const outcomes = await Promise.allSettled([
      outageIsSurvived((proxy) => proxy.cut()),
      outageIsSurvived((proxy) => proxy.hang()),
    ])
    for (const outcome of outcomes) if (outcome.status === 'rejected') throw outcome.reason
  })

  it("a failure after the answer, or at the 503, leaves the browser's keep-alive connection whole", async () => {
    for (const moment of ['before the login is saved', 'after the login was answered'] as const) {
      const { createMongoClient, createSessionStore } = await storeModule()
      const client = createMongoClient(database.url, shortWait())
      afterTest(() => client.close())
      const store = createSessionStore(client)
      afterTest(() => closeStore(store))
      await usesClient(step, store)
      const save = store.set.bind(store)
      let writes = 0
      // express-session saves a login twice (the route's save, and again as the answer ends).
      store.set = (sid, data, callback) => {
        if (++writes < (moment === 'before the login is saved' ? 1 : 2)) return save(sid, data, callback)
        setImmediate(() => callback?.(new MongoNetworkError('connection closed')))
      }
      const module = await step.load<Record<string, unknown>>('app.ts')
      const createApp = exported<(options: { secret: string; store: Store }) => Express>(
        module,
        'createApp',
        `${where}/app.ts`,
        'createApp(options)',
      )
      const app = createApp({ secret, store })
      const server = await new Promise<Server>((resolve) => {
        const listening = app.listen(0, '127.0.0.1', () => resolve(listening))
      })
      afterTest(() => new Promise((resolve) => server.close(resolve)))
      const agent = new Agent({ keepAlive: true, maxSockets: 1 })
      afterTest(async () => agent.destroy())
      const { status, cut } = await new Promise<{ status?: number; cut: boolean }>((resolve) => {
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
            response.resume()
            response.on('end', () => {
              let cut = false
              login.socket?.once('close', () => {
                cut = true
              })
              setTimeout(() => resolve({ status: response.statusCode, cut }), 200)
            })
          },
        )
        login.on('error', () => resolve({ cut: true }))
        login.end(JSON.stringify({ username: aName() }))
      })
      const expected = moment === 'before the login is saved' ? 503 : 200
      must(
        status === expected,
        moment === 'before the login is saved'
          ? `when MongoDB fails before the login is saved, POST /login should answer 503, not ${status ?? 'nothing'}: pass the save's error to next(error), and answer it in the 503 handler (${where}/errors.ts), which app.use() puts before the JSON handler in ${where}/app.ts.`
          : `when MongoDB fails after the login was answered, the login should still be 200, not ${status ?? 'nothing'}: the JSON handler leaves an error that comes after the answer alone (res.writableEnded) (${where}/errors.ts).`,
      )
      if (moment === 'before the login is saved') {
        must(
          writes === 1,
          `after its 503, the app tried to save the session again, one more wait on a database that is down: drop the request's session before answering 503 (delete it from req; TypeScript refuses a plain delete of req.session, the lesson says why) (${where}/errors.ts).`,
        )
      }
      must(
        !cut,
        moment === 'before the login is saved'
          ? `the server cut the connection after its 503: before answering 503, drop the request's session, or express-session writes it again and that error reaches Express mid-answer (${where}/errors.ts).`
          : `the server cut the connection after the login was answered: an error that comes once the answer has ended must be left alone (res.writableEnded) in the JSON error handler (${where}/errors.ts).`,
      )
    }
  })
})

describe('stopping', () => {
  it('close(graceMs) cuts a request still open after graceMs, then closes the store and the client', async () => {
    const sockets = () => process.getActiveResourcesInfo().filter((resource) => resource === 'TCPSocketWrap').length
    const before = sockets()
    const port = await freePort()
    const server = await servers.started({ PORT: String(port), MONGO_URL: database.url, SESSION_SECRET: secret })
    // A request that never ends: its headers never finish.
    const open = connect(port, '127.0.0.1')
    await new Promise((resolve) => open.once('connect', resolve))
    open.write('GET /health HTTP/1.1\r\nHost: localhost\r\n')
    const closedBy = new Promise<void>((resolve) => open.once('close', () => resolve()))
    const began = Date.now()
    const closing = server.close(300)
    const done = await Promise.race([
      closing.then(() => true),
      new Promise((resolve) => setTimeout(() => resolve(false), limit(1500, 5))),
    ])
    open.destroy()
    must(
      done,
      `close(300) still waited after ${(limit(1500, 5) / 1000).toFixed(1)} s for a request that never ends: cut the connections still open after graceMs (the server's closeAllConnections) in ${where}/server.ts.`,
    )
    must(
      Date.now() - began < limit(1500, 5),
      `close(300) took ${Date.now() - began} ms: cut what is still open once graceMs has passed (${where}/server.ts).`,
    )
    await closedBy
    must(
      await waitFor(() => sockets() <= before, limit(2000, 5)),
      `after close(), connections to MongoDB stayed open: close the store, then the client, in close() (${where}/server.ts).`,
    )
  })
})

describe('starting', () => {
  it('gives MongoDB the time MONGO_TIMEOUT_MS says before it refuses to start', async () => {
    // Which time limit start(env) gives its client is read from the client itself, as it connects:
    // the check answers that connect() with a refused connection instead of waiting 2 s for one.
    const limits: number[] = []
    const connect = MongoClient.prototype.connect
    MongoClient.prototype.connect = function (this: MongoClient) {
      limits.push(this.options.serverSelectionTimeoutMS)
      return Promise.reject(new MongoNetworkError('connect ECONNREFUSED (no MongoDB at MONGO_URL)'))
    }
    let sentence: string
    try {
      sentence = await servers.refusal({
        PORT: String(await freePort()),
        MONGO_URL: `mongodb://127.0.0.1:${await freePort()}/nobody`,
        SESSION_SECRET: secret,
        MONGO_TIMEOUT_MS: '2000',
      })
    } finally {
      MongoClient.prototype.connect = connect
    }
    must(
      sentence !== '',
      `with no MongoDB at MONGO_URL, start(env) resolved: connect first, and reject when it fails (${where}/server.ts).`,
    )
    must(
      limits.length > 0,
      `start(env) rejected without connecting to MongoDB: create the client and connect() it before you listen (${where}/server.ts).`,
    )
    must(
      limits.every((ms) => ms === 2000),
      `with MONGO_TIMEOUT_MS=2000, start(env) gave its MongoClient ${limits.join(' and ')} ms to find MongoDB: create the client with the time limit readConfig() read from MONGO_TIMEOUT_MS (${where}/server.ts).`,
    )
  })

  it('waits MONGO_TIMEOUT_MS for MongoDB, 1000 ms when unset', async () => {
    const readConfig = await step.readConfig<Record<string, unknown>>()
    const env = { PORT: '4000', MONGO_URL: database.url, SESSION_SECRET: secret }
    must(
      readConfig({ ...env, MONGO_TIMEOUT_MS: '750' }).mongoTimeoutMs === 750,
      `readConfig should give a mongoTimeoutMs of 750 for MONGO_TIMEOUT_MS=750 (${where}/config.ts).`,
    )
    must(readConfig(env).mongoTimeoutMs === 1000, 'without MONGO_TIMEOUT_MS, mongoTimeoutMs should be 1000.')
    const zero = thrownBy(() => readConfig({ ...env, MONGO_TIMEOUT_MS: '0' }))
    must(
      /MONGO_TIMEOUT_MS/.test(zero),
      `MONGO_TIMEOUT_MS=0 should be refused, naming MONGO_TIMEOUT_MS: 0 switches the driver's time limits off (${where}/config.ts).`,
    )
  })

  it('start(env) refuses in one sentence, within seconds, when MongoDB does not answer or MONGO_URL is not a MongoDB URL', async () => {
    const timeoutMs = shortWait()
    for (const [what, mongoUrl] of [
      ['no MongoDB at MONGO_URL', `mongodb://127.0.0.1:${await freePort()}/nobody`],
      ['MONGO_URL=garbage', 'garbage'],
    ] as const) {
      const port = await freePort()
      const began = Date.now()
      const sentence = await servers.refusal(
        {
          PORT: String(port),
          MONGO_URL: mongoUrl,
          SESSION_SECRET: secret,
          MONGO_TIMEOUT_MS: String(timeoutMs),
        },
        {
          ms: 3 * timeoutMs + limit(1000),
          late: (waited) =>
            `with ${what} and MONGO_TIMEOUT_MS=${timeoutMs}, start(env) was still waiting after ${waited} ms: create the client with the configured timeout, MONGO_TIMEOUT_MS (${where}/server.ts).`,
        },
      )
      must(
        sentence !== '',
        `with ${what}, start(env) resolved: connect first (the client's connect()) and reject when it fails (${where}/server.ts).`,
      )
      must(
        /MONGO_URL/.test(sentence),
        `with ${what}, start(env) rejected with "${sentence.split('\n')[0]}": name MONGO_URL and what to do, in one sentence.`,
      )
      must(
        Date.now() - began < 3 * timeoutMs + limit(1000),
        `with ${what}, start(env) took ${Date.now() - began} ms to give up: create the client with the configured timeout, MONGO_TIMEOUT_MS (${where}/server.ts).`,
      )
    }
  })
})

/** Logs in, starts the outage, expects quick 503s and a living /health, then service again once it ends. */
async function outageIsSurvived(start: (proxy: TcpProxy) => void): Promise<void> {
  const { proxy, url } = await proxied()
  const timeoutMs = shortWait()
  const app = await build(url, timeoutMs)
  const name = aName()
  const login = await answer(request(app).post('/login').send({ username: name }), 'POST /login')
  must(
    login.status === 200,
    `POST /login answered ${login.status} before the outage: the login of an earlier step should still work (${where}/auth.ts).`,
  )
  const cookie = cookieOf(login)

  start(proxy)
  // Both requests at once, as two visitors would send them; each is judged on its own time.
  const sent = (
    [
      ['GET /me', () => request(app).get('/me').set('Cookie', cookie)],
      ['POST /login', () => request(app).post('/login').send({ username: aName() })],
    ] as const
  ).map(([what, send]) => {
    const began = Date.now()
    return answer(send(), `${what} during the outage`, 10 * timeoutMs + 2000).then(
      (response) => ({ what, response, took: Date.now() - began }),
      (error: unknown) => ({ what, error }),
    )
  })
  for (const outcome of await Promise.all(sent)) {
    if ('error' in outcome) throw outcome.error
    const { what, response, took } = outcome
    must(
      response.status === 503,
      `during the outage, ${what} answered ${response.status} after ${took} ms: an error handler should answer 503 for MongoServerSelectionError and MongoNetworkError (${where}/errors.ts), and app.use() it in ${where}/app.ts before the JSON handler, which would answer 500 first.`,
    )
    must(
      took <= 6 * timeoutMs + limit(1000),
      `${what} took ${took} ms to answer 503 with a ${timeoutMs} ms timeout: bound connecting and each answer too (connectTimeoutMS, socketTimeoutMS) in ${where}/store.ts.`,
    )
    must(
      /application\/json/.test(response.type) && typeof (response.body as { error?: unknown }).error === 'string',
      `the 503 should be JSON with an error sentence, in the 503 handler (${where}/errors.ts).`,
    )
    must(
      Number(response.headers['retry-after']) > 0,
      `the 503 should say when to try again, in seconds: a Retry-After header, in the 503 handler (${where}/errors.ts).`,
    )
  }
  const health = await answer(request(app).get('/health'), 'GET /health during the outage')
  must(health.status === 200, 'GET /health needs no session and should answer 200 during the outage.')

  proxy.restore()
  const began = Date.now()
  let status = 0
  const back = await waitFor(
    async () => {
      status = (await answer(request(app).get('/me').set('Cookie', cookie), 'GET /me after the outage')).status
      return status === 200
    },
    limit(3000, 10),
  )
  must(
    back,
    `once MongoDB was back, GET /me still answered ${status} after ${Date.now() - began} ms: keep nothing broken between requests, the driver reconnects by itself.`,
  )
}
