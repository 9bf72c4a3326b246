// The session inspector without a browser: `npm run demo` refuses production, its MongoDB client
// only reads the sessions collection, its proxy notes each request, it runs several instances
// behind a balancer, and `npm run sessions` prints a real table from a real database.
// The browser's view is test/tools/inspector.browser.test.ts.
import { randomUUID } from 'node:crypto'
import { createServer } from 'node:net'
import { hostname } from 'node:os'
import { PassThrough } from 'node:stream'
import type { CommandStartedEvent } from 'mongodb'
import { BSON, MongoClient } from 'mongodb'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { readSessionCookie } from '../../tools/inspector/cookie.js'
import { type Demo, ownsDatabase, startDemo } from '../../tools/inspector/demo.js'
import { expiresIn, formatDuration } from '../../tools/inspector/format.js'
import type { InspectorState } from '../../tools/inspector/server.js'
import { describeUrl, withDatabase } from '../../tools/lib/mongo.js'
import { freePort } from '../../tools/lib/ports.js'
import { listSteps } from '../../tools/lib/steps.js'
import { hasStackTrace, runTool } from '../support/cli.js'
import { signedCookie } from '../support/http.js'
import { learnerStore, loadModule, stepAt } from '../support/workshop.js'

const finished = listSteps().at(-1)
if (!finished) throw new Error('no steps found')
const user = { uuid: '12234-2345-2323423' }

/** A database of its own on the shared test server, and a client to look inside it. */
async function ownDatabase(label: string) {
  const name = `inspector-${label}-${randomUUID().slice(0, 8)}`
  const url = withDatabase(inject('mongoUrl'), name)
  const client = await MongoClient.connect(url)
  return {
    name,
    url,
    sessions: client.db(name).collection<{ _id: string }>('sessions'),
    drop: async () => {
      await client
        .db(name)
        .dropDatabase()
        .catch(() => {})
      await client.close()
    },
  }
}

describe('npm run demo', () => {
  it('refuses to start with NODE_ENV=production: one sentence, exit code 1', async () => {
    const result = await runTool('demo', [], { NODE_ENV: 'production', PORT: String(await freePort()) })
    expect(result.code).toBe(1)
    expect(result.stderr.trim()).toBe(
      '🚨 The session inspector shows every session in the database, so it never runs with NODE_ENV=production: unset NODE_ENV for the classroom demo.',
    )
    expect(result.stdout).not.toContain('Inspector:')
    expect(hasStackTrace(result.stderr + result.stdout)).toBe(false)
  })

  it('says so when its port is taken', async () => {
    const blocker = createServer()
    const port = await freePort()
    await new Promise<void>((resolve) => blocker.listen(port, resolve))
    try {
      const result = await runTool('demo', [], { PORT: String(port) })
      expect(result.code).toBe(1)
      expect(result.stderr.trim()).toBe(
        `🚨 Port ${port} is already in use (\`npm run step\`, or another demo?): stop that program, or choose another port, e.g. PORT=4001 npm run demo.`,
      )
    } finally {
      blocker.close()
    }
  })

  it('rejects an option it does not know with one sentence', async () => {
    const result = await runTool('demo', ['--verbose'])
    expect(result.code).toBe(1)
    expect(result.stderr.trim()).toBe(
      "🚨 Unknown option '--verbose': `npm run demo` takes one option, --instances K (`npm run demo -- --instances 3`); PORT=4001 npm run demo changes its port.",
    )
  })

  it.each(['0', '10', 'x', '1.5'])('rejects --instances %s with one sentence', async (value) => {
    const result = await runTool('demo', ['--instances', value])
    expect(result.code).toBe(1)
    expect(result.stderr.trim()).toBe(
      `🚨 --instances takes a whole number from 1 to 9, not "${value}": for example \`npm run demo -- --instances 3\`.`,
    )
    expect(result.stdout).not.toContain('Inspector:')
  })
})

describe('the inspector, with the finished server behind it', () => {
  let demo: Demo
  let database: Awaited<ReturnType<typeof ownDatabase>>
  const commands: CommandStartedEvent[] = []

  beforeAll(async () => {
    database = await ownDatabase('demo')
    const output = new PassThrough()
    output.resume()
    demo = await startDemo({
      step: finished,
      port: await freePort(),
      mongoUrl: database.url,
      readerOptions: { monitorCommands: true },
      output,
    })
    demo.reader.client.on('commandStarted', (event) => commands.push(event))
  })
  afterAll(async () => {
    await demo?.stop()
    await database?.drop()
  })

  it("shows the browser's cookie and its document, then neither once the session ends, and only ever reads `sessions`", async () => {
    const browser = request.agent(demo.url.replace('/__inspector/', ''))
    const state = async () => (await browser.get('/__inspector/state').expect(200)).body as InspectorState

    const before = await state()
    expect(before.cookie).toBeNull()
    expect(before.snapshot?.total).toBe(0)

    // The app's route, through the inspector's proxy: the browser gets the app's cookie.
    await browser.get('/').expect(200, user)
    const during = await state()
    const id = during.cookie?.sessionId
    expect(id).toMatch(/^[\w-]{32}$/)
    expect(during.cookie?.value).toMatch(new RegExp(`^s:${id}\\.`))
    expect(during.snapshot?.document?.id).toBe(id)
    expect(during.snapshot?.document?.session).toMatchObject({ user })
    expect(during.snapshot?.document?.ejson).toContain('"$date"')
    expect(during.snapshot?.ttlIndex).toEqual({ name: 'expires_1', key: { expires: 1 }, expireAfterSeconds: 0 })
    expect(during.snapshot?.sessions.map((row) => row.id)).toEqual([id])
    // What the inspector shows is what MongoDB holds.
    const stored = await database.sessions.findOne({ _id: id ?? '' })
    expect(stored).not.toBeNull()
    expect(during.snapshot?.document?.size).toBe(BSON.calculateObjectSize(stored ?? {}))
    expect(during.snapshot?.document?.expiresAt).toBe((stored as { expires?: Date } | null)?.expires?.getTime())

    await browser.get('/end').expect(200, 'Session is destroyed')
    const after = await state()
    expect(after.cookie).toBeNull()
    expect(after.snapshot?.sessions.map((row) => row.id)).not.toContain(id)
    expect(await database.sessions.countDocuments({ _id: id ?? '' })).toBe(0)

    // Driver command monitoring: every command the inspector's own client sent.
    const sent = commands.map((event) => `${event.commandName} ${String(event.command[event.commandName])}`)
    expect(sent.length).toBeGreaterThan(0)
    expect(new Set(commands.map((event) => event.commandName))).toEqual(new Set(['find', 'listIndexes', 'aggregate']))
    expect(sent.filter((line) => !line.endsWith(' sessions'))).toEqual([])
    expect(commands.filter((event) => event.databaseName !== database.name)).toEqual([])
  })

  it('restarts the server on request: a new process, and the old cookie still opens the same session', async () => {
    const browser = request.agent(demo.url.replace('/__inspector/', ''))
    await browser.get('/').expect(200, user)
    const before = (await browser.get('/__inspector/state')).body as InspectorState

    await browser.post('/__inspector/restart').expect(403)
    const restarted = await browser.post('/__inspector/restart').set('X-Inspector', 'restart').expect(200)
    expect(restarted.body).toMatchObject({ state: 'running', restarts: before.app.restarts + 1 })
    expect(restarted.body.instances).toHaveLength(1)
    expect(restarted.body.instances[0].pid).not.toBe(before.app.instances[0]?.pid)

    await browser.get('/').expect(200, user)
    const after = (await browser.get('/__inspector/state')).body as InspectorState
    expect(after.cookie?.sessionId).toBe(before.cookie?.sessionId)
    expect(after.snapshot?.document?.id).toBe(before.cookie?.sessionId)
    await browser.get('/end').expect(200)
  })

  it('cuts MongoDB off for the app, makes it hang, brings it back, while the page still reads MongoDB', async () => {
    const browser = request.agent(demo.url.replace('/__inspector/', ''))
    await browser.post('/login').send({ username: 'ada' }).expect(200)
    await browser.post('/__inspector/outage').expect(403)
    const cut = await browser.post('/__inspector/outage').set('X-Inspector', 'outage').expect(200)
    expect(cut.body).toMatchObject({ state: 'refused' })
    await browser.get('/me').expect(503)
    const during = (await browser.get('/__inspector/state')).body as InspectorState
    expect(during.outage).toBe('refused')
    // The request log says what the app answered, and when to try again.
    expect(during.exchanges[0]).toMatchObject({
      method: 'GET',
      path: '/me',
      status: 503,
      retryAfter: expect.any(String),
    })
    expect(during.snapshot?.document?.session).toMatchObject({ user: { name: 'ada' } })
    expect((await browser.post('/__inspector/outage').set('X-Inspector', 'outage')).body).toMatchObject({
      state: 'hung',
    })
    const began = Date.now()
    await browser.get('/me').expect(503)
    expect(Date.now() - began).toBeLessThan(3000)
    expect((await browser.post('/__inspector/outage').set('X-Inspector', 'outage')).body).toMatchObject({ state: 'up' })
    await expect.poll(async () => (await browser.get('/me')).status, { timeout: 3000 }).toBe(200)
    await browser.post('/logout').expect(204)
  })

  it("signs with a secret of its own: a listed session id, signed with the article's secret, opens nothing", async () => {
    const browser = request.agent(demo.url.replace('/__inspector/', ''))
    await browser.post('/login').send({ username: 'ada' }).expect(200)
    const { snapshot } = (await browser.get('/__inspector/state')).body as InspectorState
    const listed = snapshot?.sessions.find((row) => row.user === 'name: ada')?.id ?? ''
    await request(demo.url.replace('/__inspector/', ''))
      .get('/me')
      .set('Cookie', signedCookie(listed, 'SECRET KEY'))
      .expect(401)
    await browser.post('/logout').expect(204)
  })

  it('answers only to localhost, since it shows every session', async () => {
    await request(demo.url.replace('/__inspector/', ''))
      .get('/__inspector/state')
      .set('Host', 'classroom.example:4000')
      .expect(403)
  })
})

describe('the request log and the clear button', () => {
  let demo: Demo
  let database: Awaited<ReturnType<typeof ownDatabase>>

  beforeAll(async () => {
    database = await ownDatabase('log')
    const output = new PassThrough()
    output.resume()
    demo = await startDemo({ step: finished, port: await freePort(), mongoUrl: database.url, output })
  })
  afterAll(async () => {
    await demo?.stop()
    await database?.drop()
  })

  it('notes each request: method, path, status, time taken, the cookie sent, Set-Cookie, X-Instance', async () => {
    const browser = request.agent(demo.url.replace('/__inspector/', ''))
    await browser.get('/me').expect(401)
    await browser.post('/login').send({ username: 'grace' }).expect(200)
    await browser.get('/me').expect(200)
    const { exchanges, cookie } = (await browser.get('/__inspector/state').expect(200)).body as InspectorState
    const [me, login, before] = exchanges
    expect(before).toMatchObject({ method: 'GET', path: '/me', status: 401, cookieSent: null, setCookie: [] })
    expect(login).toMatchObject({ method: 'POST', path: '/login', status: 200, statusText: 'OK', cookieSent: null })
    expect(login?.setCookie[0]).toMatch(
      /^connect\.sid=s%3A[\w-]{32}\.[^;]+; Path=\/; Expires=.+; HttpOnly; SameSite=Lax$/,
    )
    expect(login?.body).toContain('"name":"grace"')
    expect(me?.cookieSent).toBe(`connect.sid=${cookie?.raw}`)
    for (const exchange of [me, login, before]) {
      expect(exchange?.ms).toBeGreaterThanOrEqual(0)
      // One server keeps its default name, the machine's.
      expect(exchange?.instance).toBe(hostname())
    }
    // The inspector's own requests are not the app's: they never appear in the log.
    expect(exchanges.filter((exchange) => exchange.path.startsWith('/__inspector'))).toEqual([])
  })

  it('shows only the session cookie of the Cookie header, and counts the others', async () => {
    const browser = request.agent(demo.url.replace('/__inspector/', ''))
    await browser.get('/health').set('Cookie', 'theme=dark; other=1').expect(200)
    const { exchanges } = (await browser.get('/__inspector/state')).body as InspectorState
    expect(exchanges[0]).toMatchObject({ path: '/health', cookieSent: null, otherCookies: 2 })
  })

  it("clears the demo's sessions on request, and only with the page's header", async () => {
    const browser = request.agent(demo.url.replace('/__inspector/', ''))
    await browser.post('/login').send({ username: 'linus' }).expect(200)
    expect((await browser.get('/__inspector/state')).body.canClear).toBe(true)
    await browser.post('/__inspector/clear').expect(403)
    expect(await database.sessions.countDocuments()).toBeGreaterThan(0)
    const cleared = await browser.post('/__inspector/clear').set('X-Inspector', 'clear').expect(200)
    expect(cleared.body.deleted).toBeGreaterThan(0)
    expect(await database.sessions.countDocuments()).toBe(0)
    // The browser still holds its cookie, and it opens nothing now.
    await browser.get('/me').expect(401)
  })

  it('never empties test-app, the database `npm run step` keeps the learner in', () => {
    expect(ownsDatabase('test-app')).toBe(false)
    expect(ownsDatabase('inspector-demo')).toBe(true)
  })
})

describe('npm run demo -- --instances 3', () => {
  let demo: Demo
  let database: Awaited<ReturnType<typeof ownDatabase>>

  beforeAll(async () => {
    database = await ownDatabase('three')
    const output = new PassThrough()
    output.resume()
    demo = await startDemo({ step: finished, port: await freePort(), mongoUrl: database.url, output, instances: 3 })
  }, 60_000)
  afterAll(async () => {
    await demo?.stop()
    await database?.drop()
  })

  it('passes requests round robin to instances a, b and c, which share the sessions', async () => {
    const browser = request.agent(demo.url.replace('/__inspector/', ''))
    expect(demo.appPorts).toHaveLength(3)
    expect(demo.balancerPort).not.toBeNull()
    await browser.post('/login').send({ username: 'ada' }).expect(200)
    for (let i = 0; i < 3; i++) await browser.get('/me').expect(200)
    const state = (await browser.get('/__inspector/state')).body as InspectorState
    expect(state.instances).toBe(3)
    expect(state.app.instances.map((one) => one.name)).toEqual(['a', 'b', 'c'])
    const answered = state.exchanges.slice(0, 3).map((exchange) => exchange.instance)
    expect(new Set(answered)).toEqual(new Set(['a', 'b', 'c']))
    expect(state.exchanges.slice(0, 3).map((exchange) => exchange.status)).toEqual([200, 200, 200])
  })

  it('restarts one instance after the other: every process new, no request fails meanwhile', async () => {
    const browser = request.agent(demo.url.replace('/__inspector/', ''))
    const before = demo.app.status.instances.map((one) => one.pid)
    const restarting = browser.post('/__inspector/restart').set('X-Inspector', 'restart')
    const statuses: number[] = []
    let done = false
    void restarting.then(() => (done = true))
    while (!done) statuses.push((await browser.get('/health')).status)
    const after = (await restarting).body as InspectorState['app']
    expect(after.state).toBe('running')
    for (const [i, one] of after.instances.entries()) expect(one.pid).not.toBe(before[i])
    expect(statuses.length).toBeGreaterThan(0)
    expect(statuses.filter((status) => status !== 200)).toEqual([])
  }, 60_000)
})

describe('npm run sessions', () => {
  it('prints every session of the database as a table: id, user, expires in, size', async () => {
    const database = await ownDatabase('table')
    const solution = stepAt(finished.solutionDir, finished, 'solutions')
    const { createApp } = await loadModule<{ createApp(options: object): import('express').Express }>(
      finished.solutionDir,
      'app.ts',
    )
    const store = await learnerStore(solution, database.url)
    try {
      // The article's GET / stores a user in an anonymous session, which lasts hours (step 7).
      const app = createApp({ secret: 'inspector test', store, articleRoutes: true })
      await request.agent(app).get('/').expect(200, user)
      await request.agent(app).get('/').expect(200, user)
      const documents = await database.sessions.find().toArray()
      expect(documents).toHaveLength(2)

      const result = await runTool('sessions', [], { MONGO_URL: database.url })
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      const lines = result.stdout.trim().split('\n')
      expect(lines[0]).toBe(
        `2 sessions in ${database.name}.sessions on ${describeUrl(database.url)} (from MONGO_URL), most recently renewed first:`,
      )
      expect(lines[2]).toMatch(/^id +user +expires in +size$/)
      for (const document of documents) {
        const row = lines.find((line) => line.startsWith(document._id))
        expect(row, `a row for ${document._id}`).toBeDefined()
        expect(row).toMatch(
          new RegExp(
            `^${document._id} +uuid: 12234-2345-2323423 +1 h 5\\d min +${BSON.calculateObjectSize(document)} B$`,
          ),
        )
      }
    } finally {
      await store.close?.()
      await database.drop()
    }
  })

  it('says so when the collection is empty', async () => {
    const database = await ownDatabase('empty')
    try {
      const result = await runTool('sessions', [], { MONGO_URL: database.url })
      expect(result.code).toBe(0)
      expect(result.stdout.trim()).toMatch(
        new RegExp(
          `^No sessions in ${database.name}\\.sessions on .+ yet: open http://localhost:4000/ while a step from 3 on runs \\(\`npm run step 4\`, say\\), which stores one, then run this again; \`npm run demo\` keeps its sessions in a database of its own\\.$`,
        ),
      )
    } finally {
      await database.drop()
    }
  })

  it('says in one sentence that MongoDB does not answer, within seconds', async () => {
    const deadPort = await freePort()
    const result = await runTool('sessions', [], { MONGO_URL: `mongodb://127.0.0.1:${deadPort}/test-app` }, 20_000)
    expect(result.code).toBe(1)
    expect(result.stderr.trim()).toBe(
      `🚨 MongoDB at MONGO_URL (127.0.0.1:${deadPort}) did not answer within 3 s: start that server (\`npm run db:up\` starts one with Docker) or unset MONGO_URL.`,
    )
    expect(result.ms).toBeLessThan(15_000)
  })
})

describe('reading the cookie and the clock', () => {
  it('finds the session id inside a signed, URL-encoded connect.sid', () => {
    expect(readSessionCookie('theme=dark; connect.sid=s%3Aabc-DEF_123.c2lnbmF0dXJl; other=1')).toEqual({
      name: 'connect.sid',
      raw: 's%3Aabc-DEF_123.c2lnbmF0dXJl',
      value: 's:abc-DEF_123.c2lnbmF0dXJl',
      sessionId: 'abc-DEF_123',
      signature: 'c2lnbmF0dXJl',
    })
    expect(readSessionCookie('connect.sid=plain')?.sessionId).toBeNull()
    expect(readSessionCookie('theme=dark')).toBeNull()
    expect(readSessionCookie(undefined)).toBeNull()
  })

  it('counts down in days, hours, minutes and seconds', () => {
    expect(formatDuration(14 * 86_400_000)).toBe('14 d 0 h 0 min')
    expect(formatDuration(14 * 86_400_000 - 1000, true)).toBe('13 d 23 h 59 min 59 s')
    expect(formatDuration(65_000)).toBe('1 min 5 s')
    expect(expiresIn(1_000, 126_000)).toBe('expired 2 min 5 s ago')
    expect(expiresIn(null, 0)).toBe('no date')
  })
})
