// Check 03: sessions live in MongoDB's `sessions` collection, expire, and survive a restart.
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { freePort } from '../tools/lib/ports.js'
import { startServer } from './support/server-process.js'
import { findCookie, learnerAppOnDatabase, probePath, secret, shortDir, workshopDir } from './support/workshop.js'

const dir = workshopDir('03-mongo-store')
const where = shortDir(dir)
const fourteenDaysMs = 14 * 24 * 60 * 60 * 1000

interface SessionDocument {
  _id: string
  expires: Date
  session: unknown
}

const check = learnerAppOnDatabase(dir, '03')
const build = () => check.build()

describe('the sessions collection', () => {
  it('holds one document per session, with _id = the session id and expires = now + 14 days', async () => {
    const app = await build()
    const before = Date.now()
    const { id } = (await request(app).get(probePath)).body as { id: string }
    const documents = await check.database.db.collection<SessionDocument>('sessions').find().toArray()
    expect(
      documents.length,
      `🚨 expected 1 document in "sessions", found ${documents.length}: pass the store to session({ store }) in ${where}/app.ts.`,
    ).toBe(1)
    const [document] = documents
    expect(
      document?._id,
      '🚨 the document _id should be the session id (connect-mongo does this when it is the store).',
    ).toBe(id)
    expect(
      document?.expires,
      '🚨 the document should have an `expires` date: create the store with MongoStore.create({ mongoUrl, ttl }).',
    ).toBeInstanceOf(Date)
    const expected = before + fourteenDaysMs
    const drift = Math.abs((document?.expires.getTime() ?? 0) - expected)
    expect(
      drift,
      `🚨 expires should be 14 days from now (ttl: 14 * 24 * 60 * 60, in seconds) in ${where}/store.ts; it is off by ${Math.round(drift / 1000)} s.`,
    ).toBeLessThan(60_000)
  })

  it('has the TTL index expires_1 with expireAfterSeconds: 0, so MongoDB deletes expired sessions', async () => {
    const app = await build()
    await request(app).get(probePath)
    // connect-mongo creates the index in the background; give it a moment.
    let index: { name?: string; expireAfterSeconds?: number } | undefined
    for (let attempt = 0; attempt < 40 && !index; attempt++) {
      const indexes = await check.database.db.collection('sessions').listIndexes().toArray()
      index = indexes.find((candidate) => candidate.name === 'expires_1')
      if (!index) await new Promise((resolve) => setTimeout(resolve, 50))
    }
    expect(
      index,
      `🚨 no expires_1 index on "sessions": create the store with autoRemove: 'native' in ${where}/store.ts.`,
    ).toBeDefined()
    expect(
      index?.expireAfterSeconds,
      '🚨 expires_1 should have expireAfterSeconds: 0 (delete at the `expires` date itself).',
    ).toBe(0)
  })
})

describe('a restart', () => {
  it('keeps the session: a new app with a new store accepts the old cookie', async () => {
    const first = await build()
    const created = await request(first).get(probePath)
    const { id } = created.body as { id: string }
    const cookie = findCookie(created.headers['set-cookie'], 'connect.sid')?.split(';')[0] ?? ''

    const second = await build()
    const again = await request(second).get(probePath).set('Cookie', cookie)
    const body = again.body as { id: string; visits: number }
    expect(
      body.id,
      '🚨 after a restart the old cookie should open the same session: it must be read from MongoDB, not from memory.',
    ).toBe(id)
    expect(
      body.visits,
      '🚨 the session data should survive a restart: store it in MongoDB with session({ store }).',
    ).toBe(2)
  })
})

describe('server.ts', () => {
  it('builds the store from MONGO_URL when it starts', async () => {
    const port = await freePort()
    const server = startServer(dir, { PORT: String(port), MONGO_URL: check.database.url, SESSION_SECRET: secret })
    try {
      await server.waitFor(/App listening on port \d+/, 20_000)
      // connect-mongo creates the TTL index as soon as the store connects, before any request.
      let names: string[] = []
      for (let attempt = 0; attempt < 50 && !names.includes('expires_1'); attempt++) {
        names = (
          await check.database.db
            .collection('sessions')
            .listIndexes()
            .toArray()
            .catch(() => [])
        ).map((index) => String(index.name))
        if (!names.includes('expires_1')) await new Promise((resolve) => setTimeout(resolve, 100))
      }
      expect(
        names,
        `🚨 ${where}/server.ts never connected a store to MONGO_URL: build it with createSessionStore(mongoUrl) and pass it to createApp().`,
      ).toContain('expires_1')
    } finally {
      await server.stop('SIGTERM', 5000)
    }
  })
})
