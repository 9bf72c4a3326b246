// Check 04: the article's routes: GET / stores a user in the session, GET /end destroys it.
import session from 'express-session'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import {
  findCookie,
  learnerAppOnDatabase,
  loadModule,
  secret,
  sessionIdOf,
  shortDir,
  workshopDir,
  type AppModule,
} from './support/workshop.js'

const dir = workshopDir('04-routes')
const where = shortDir(dir)
const user = { uuid: '12234-2345-2323423' }

const check = learnerAppOnDatabase(dir, '04')
const build = () => check.build()

/** The stored session; connect-mongo may keep it as a JSON string (stringify: true). */
async function storedSession(id: string | undefined): Promise<Record<string, unknown> | undefined> {
  const document = await check.database.db
    .collection<{ _id: string; session: unknown }>('sessions')
    .findOne({ _id: id ?? '' })
  if (!document) return undefined
  return (typeof document.session === 'string' ? JSON.parse(document.session) : document.session) as Record<
    string,
    unknown
  >
}

/** A store that cannot write or delete: what a MongoDB outage looks like to express-session. */
class BrokenStore extends session.MemoryStore {
  override set(_sid: string, _session: session.SessionData, callback?: (error?: unknown) => void): void {
    setImmediate(() => callback?.(new Error('the store is down')))
  }
  override destroy(_sid: string, callback?: (error?: unknown) => void): void {
    setImmediate(() => callback?.(new Error('the store is down')))
  }
}

describe('GET /', () => {
  it('answers the user and stores it in the session document', async () => {
    const response = await request(await build()).get('/')
    expect(response.status, `🚨 GET / should answer 200: add app.get('/', ...) in ${where}/app.ts.`).toBe(200)
    expect(
      response.body,
      '🚨 GET / should answer the user as JSON: res.send(req.session.user) after req.session.save().',
    ).toEqual(user)
    const id = sessionIdOf(findCookie(response.headers['set-cookie'], 'connect.sid'))
    const stored = await storedSession(id)
    expect(
      stored,
      '🚨 no session document for this cookie: GET / should save the session (req.session.save).',
    ).toBeDefined()
    expect(stored?.user, "🚨 the stored session should hold user: { uuid: '12234-2345-2323423' }.").toEqual(user)
  })

  it('passes a failed save to next(err), so the client gets an error instead of waiting forever', async () => {
    const { createApp } = await loadModule<AppModule>(dir, 'app.ts')
    const response = await request(createApp({ secret, store: new BrokenStore() }))
      .get('/')
      .timeout(3000)
      .catch((error: Error) => {
        throw new Error(
          `🚨 GET / never answered when the save failed (${error.message}): call next(err) in the save callback instead of only logging it.`,
        )
      })
    expect(
      response.status,
      "🚨 a failed save should reach Express's error handler: call next(err) in the save callback.",
    ).toBeGreaterThanOrEqual(500)
  })
})

describe('GET /end', () => {
  it('destroys the session: the document is gone and the cookie is cleared', async () => {
    const agent = request.agent(await build())
    const created = await agent.get('/')
    const id = sessionIdOf(findCookie(created.headers['set-cookie'], 'connect.sid'))
    expect(await storedSession(id), '🚨 GET / should store the session first.').toBeDefined()

    const ended = await agent.get('/end')
    expect(ended.status, `🚨 GET /end should answer 200: add app.get('/end', ...) in ${where}/app.ts.`).toBe(200)
    expect(ended.text, "🚨 GET /end should answer 'Session is destroyed'.").toBe('Session is destroyed')
    expect(
      await storedSession(id),
      '🚨 the session document is still in MongoDB: call req.session.destroy() in GET /end.',
    ).toBeUndefined()
    const cleared = findCookie(ended.headers['set-cookie'], 'connect.sid')
    expect(
      cleared,
      "🚨 the browser still holds connect.sid: call res.clearCookie('connect.sid') after destroy().",
    ).toMatch(/Expires=Thu, 01 Jan 1970/i)
  })

  it('passes a failed destroy to next(err)', async () => {
    const { createApp } = await loadModule<AppModule>(dir, 'app.ts')
    const app = createApp({ secret, store: new BrokenStore() })
    const response = await request(app)
      .get('/end')
      .timeout(3000)
      .catch((error: Error) => {
        throw new Error(
          `🚨 GET /end never answered when destroy failed (${error.message}): call next(err) in the destroy callback.`,
        )
      })
    expect(
      response.status,
      "🚨 a failed destroy should reach Express's error handler: call next(err) in the destroy callback.",
    ).toBeGreaterThanOrEqual(500)
  })
})
