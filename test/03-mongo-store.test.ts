// Check 03: sessions live in MongoDB's `sessions` collection, expire, and survive a restart; the
// server builds its store from MONGO_URL and listens only once the store works.

import { connect, createServer } from 'node:net'
import type { Express } from 'express'
import type { Store } from 'express-session'
import request from 'supertest'
import { describe, it } from 'vitest'
import { freePort } from '../tools/lib/ports.js'
import { answer, cookieOf, probePath, signedCookie, withProbe } from './support/http.js'
import { learnerServers } from './support/learner-server.js'
import { limit } from './support/pace.js'
import { checkedStep, checkFixtures, must, secret, waitFor } from './support/workshop.js'

const step = checkedStep('03-mongo-store')
const { where } = step
const servers = learnerServers(step)
const fourteenDays = 14 * 24 * 60 * 60 * 1000

type Config = { mongoUrl?: unknown }

const { database, store, createApp } = checkFixtures(step, '03')

/** The learner's app on the learner's store, on this check's database, with the probe route. */
async function build(): Promise<Express> {
  return withProbe((await createApp<{ secret: string; store?: Store }>())({ secret, store: await store() }))
}

describe('the sessions collection', () => {
  it('holds one document per session: _id is the session id', async () => {
    const app = await build()
    const { id } = (await answer(request(app).get(probePath), `GET ${probePath}`)).body as { id: string }
    const documents = await database.sessions()
    if (documents.length === 0) {
      // Stored, but under another name? The collection is then not the one the lesson looks in.
      const names = (await database.db.listCollections().toArray()).map((collection) => collection.name)
      const elsewhere = names.find((name) => name !== 'sessions')
      must(
        elsewhere === undefined,
        `the sessions went to the collection "${elsewhere}", not "sessions": leave connect-mongo's collectionName at its default in ${where}/store.ts.`,
      )
    }
    must(
      documents.length === 1,
      `after one visit, "sessions" holds ${documents.length} documents, not 1: sessions() should hand the store to express-session (its \`store\` option) in ${where}/session.ts, and createApp() pass it on in ${where}/app.ts.`,
    )
    const [document] = documents
    must(
      document?._id === id,
      "the document's _id should be the session id (connect-mongo does this when it is the store).",
    )
  })

  it('keeps a session whose cookie sets no lifetime for 14 days (ttl), in the `expires` date', async () => {
    const sessions = await store()
    const before = Date.now()
    // A session as express-session hands it to the store, its cookie without a lifetime.
    const data = { cookie: { originalMaxAge: null, path: '/', httpOnly: true }, probe: 1 }
    const saved = await new Promise<unknown>((resolve) =>
      sessions.set('check-ttl', data as unknown as import('express-session').SessionData, resolve),
    )
    must(!saved, `the store could not save a session: ${String(saved)}.`)
    const [document] = await database.sessions()
    must(
      document?.expires instanceof Date,
      `the document should have an \`expires\` date: build the store with connect-mongo's ttl and autoRemove options in ${where}/store.ts.`,
    )
    const drift = Math.round((document.expires.getTime() - (before + fourteenDays)) / 1000)
    must(
      Math.abs(drift) < 60,
      `a session without a cookie lifetime should expire 14 days from now; it expires ${Math.abs(drift)} s ${drift > 0 ? 'later' : 'sooner'}: connect-mongo's ttl is in seconds (${where}/store.ts).`,
    )
  })

  it('has the TTL index expires_1 with expireAfterSeconds: 0, so MongoDB deletes expired sessions', async () => {
    const app = await build()
    await answer(request(app).get(probePath), `GET ${probePath}`)
    let index: { name?: string; expireAfterSeconds?: number } | undefined
    await waitFor(
      async () => {
        const indexes = await database.db
          .collection('sessions')
          .listIndexes()
          .toArray()
          .catch(() => [])
        index = indexes.find((candidate) => candidate.name === 'expires_1')
        return index !== undefined
      },
      limit(2000, 3),
    )
    must(
      index,
      `no expires_1 index on "sessions": let MongoDB delete expired sessions itself (connect-mongo's autoRemove, 'native') in ${where}/store.ts.`,
    )
    must(
      index.expireAfterSeconds === 0,
      'expires_1 should have expireAfterSeconds: 0 (delete at the `expires` date itself).',
    )
  })
})

describe('a restart', () => {
  it('keeps the session: a new app with a new store accepts the old cookie', async () => {
    const created = await answer(request(await build()).get(probePath), `GET ${probePath}`)
    const { id } = created.body as { id: string }
    const again = await answer(
      request(await build())
        .get(probePath)
        .set('Cookie', cookieOf(created)),
      `GET ${probePath}`,
    )
    const body = again.body as { id: string; visits: number }
    must(
      body.id === id,
      'after a restart the old cookie should open the same session: it must be read from MongoDB, not from memory.',
    )
    must(
      body.visits === 2,
      `the session data should survive a restart: keep it in MongoDB, the store express-session is given (${where}/session.ts).`,
    )
  })
})

describe('the server', () => {
  it("reads MONGO_URL, and the article's mongodb://127.0.0.1:27017/test-app when it is unset or empty", async () => {
    const readConfig = await step.readConfig<Config>()
    const given = readConfig({ PORT: '4000', SESSION_SECRET: secret, MONGO_URL: database.url }).mongoUrl
    must(
      given === database.url,
      `readConfig(env) should give mongoUrl from MONGO_URL (it gave ${JSON.stringify(given)}) in ${where}/config.ts.`,
    )
    const fallback = readConfig({ PORT: '4000', SESSION_SECRET: secret }).mongoUrl
    must(
      fallback === 'mongodb://127.0.0.1:27017/test-app',
      `without MONGO_URL, mongoUrl should be the article's mongodb://127.0.0.1:27017/test-app, not ${JSON.stringify(fallback)}.`,
    )
    const empty = readConfig({ PORT: '4000', SESSION_SECRET: secret, MONGO_URL: '' }).mongoUrl
    must(
      empty === 'mongodb://127.0.0.1:27017/test-app',
      `with MONGO_URL empty (MONGO_URL= on a command line), mongoUrl should be the article's mongodb://127.0.0.1:27017/test-app, not ${JSON.stringify(empty)}: an empty value counts as unset, as for SESSION_SECRET.`,
    )
  })

  it('builds its store from MONGO_URL and listens only once the store works (its TTL index is there)', async () => {
    const port = await freePort()
    await servers.started({ PORT: String(port), MONGO_URL: database.url, SESSION_SECRET: secret })
    const names = (
      await database.db
        .collection('sessions')
        .listIndexes()
        .toArray()
        .catch(() => [])
    ).map((index) => index.name)
    must(
      names.includes('expires_1'),
      `when start(env) resolved, MONGO_URL's database had no store yet: build the store from MONGO_URL, wait until it works (its collectionP), then listen (${where}/server.ts).`,
    )
  })

  it('closes the server before its store: a request still under way when close() is called gets its answer', async () => {
    const port = await freePort()
    const server = await servers.started({ PORT: String(port), MONGO_URL: database.url, SESSION_SECRET: secret })
    // A request whose headers are not finished yet, with a session cookie: express-session will ask
    // the store for that session once the request is whole, after close() was called.
    const open = connect(port, '127.0.0.1')
    await new Promise((resolve) => open.once('connect', resolve))
    let reply = ''
    open.on('error', () => {})
    open.on('data', (chunk: Buffer) => {
      reply += chunk.toString()
    })
    open.write(
      `GET /health-of-the-store HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nCookie: ${signedCookie('a-session-id-the-store-is-asked-for', secret)}\r\n`,
    )
    const closing = server.close().catch(() => {})
    // A close() that closes the store first has done so by now; a right one still waits for this request.
    await new Promise((resolve) => setTimeout(resolve, limit(300, 3)))
    open.write('\r\n')
    await waitFor(() => /\r\n\r\n/.test(reply), limit(3000, 6))
    open.destroy()
    await closing
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(reply)?.[1] ?? 0)
    must(
      status > 0 && status < 500,
      `a request still under way when close() was called got ${status ? `a ${status}` : 'no answer'}: close() closed the store while the server was still answering; wait for the server to close, then close the store (${where}/server.ts).`,
    )
  })

  it('closes its store on close(), and on a failed start: no connection to MongoDB stays open', async () => {
    // What keeps a process alive after the server closed: open sockets (MongoDB's connection pool).
    const sockets = () => process.getActiveResourcesInfo().filter((resource) => resource === 'TCPSocketWrap').length
    const before = sockets()
    const port = await freePort()
    const server = await servers.started({ PORT: String(port), MONGO_URL: database.url, SESSION_SECRET: secret })
    await server.close()
    must(
      await waitFor(() => sockets() <= before, limit(2000, 3)),
      `after close(), ${sockets() - before} connections to MongoDB stayed open: close() should close the store too, after the server (${where}/server.ts); an open store keeps the process alive.`,
    )
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(port, resolve))
    try {
      const sentence = await servers.refusal({ PORT: String(port), MONGO_URL: database.url, SESSION_SECRET: secret })
      must(
        sentence !== '',
        `start(env) resolved although port ${port} was taken: reject when listening fails (${where}/server.ts).`,
      )
      must(
        await waitFor(() => sockets() <= before, limit(2000, 3)),
        `when listening failed, start(env) left ${sockets() - before} connections to MongoDB open: close the store before rejecting (${where}/server.ts).`,
      )
    } finally {
      blocker.close()
    }
  })
})
