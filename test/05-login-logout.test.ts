// Check 05: log in (with a new session id), ask who is logged in, log out; no session for anonymous visitors.
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import {
  findCookie,
  learnerAppOnDatabase,
  probePath,
  secret,
  sessionIdOf,
  shortDir,
  sign,
  workshopDir,
} from './support/workshop.js'

const dir = workshopDir('05-login-logout')
const where = shortDir(dir)

const check = learnerAppOnDatabase(dir, '05')
const build = () => check.build()

const sessions = () => check.database.db.collection<{ _id: string; session: unknown }>('sessions')

/** The stored session; connect-mongo keeps it as a JSON string by default. */
async function storedSession(id: string | undefined): Promise<Record<string, unknown> | undefined> {
  const document = await sessions().findOne({ _id: id ?? '' })
  if (!document) return undefined
  return (typeof document.session === 'string' ? JSON.parse(document.session) : document.session) as Record<
    string,
    unknown
  >
}

/** "connect.sid=…" from a response, ready to send back as a Cookie header. */
function cookieOf(response: request.Response): string {
  return findCookie(response.headers['set-cookie'], 'connect.sid')?.split(';')[0] ?? ''
}

/** A cookie's attributes without its value and its lifetime: what must match to clear it. */
function attributesOf(line: string | undefined): string[] {
  return (line ?? '')
    .split(';')
    .slice(1)
    .map((part) => part.trim().toLowerCase())
    .filter((part) => part && !part.startsWith('expires=') && !part.startsWith('max-age='))
    .sort()
}

const name = () => `ada-${Math.random().toString(36).slice(2, 8)}`
const noLogin = `🚨 POST /login should answer 200 with the user: add app.post('/login', express.json(), express.urlencoded({ extended: false }), ...) in ${where}/app.ts.`

describe('POST /login', () => {
  it('regenerates the session: a new id, and the old session is gone (session fixation)', async () => {
    const app = await build()
    // A session that existed before the login: one an attacker could have planted in the browser.
    const before = await request(app).get(probePath)
    const oldCookie = cookieOf(before)
    const oldId = sessionIdOf(oldCookie)
    expect(
      oldId,
      '🚨 the check could not start a session before logging in: keep app.use(session({ ... })) before the routes.',
    ).toBeDefined()

    const username = name()
    const login = await request(app).post('/login').set('Cookie', oldCookie).send({ username })
    expect(login.status, noLogin).toBe(200)
    const newId = sessionIdOf(findCookie(login.headers['set-cookie'], 'connect.sid'))
    expect(
      newId,
      '🚨 POST /login should set a new connect.sid cookie: call req.session.regenerate() before storing the user.',
    ).toBeDefined()
    expect(
      newId,
      '🚨 the session id must change at login (session fixation): call req.session.regenerate((error) => { ... }) before setting req.session.user.',
    ).not.toBe(oldId)
    expect(
      await storedSession(oldId),
      '🚨 the session from before the login is still in MongoDB: req.session.regenerate() destroys it; set the user inside its callback.',
    ).toBeUndefined()
    expect(
      (await storedSession(newId))?.user,
      "🚨 the new session document should hold the user: set req.session.user inside regenerate's callback, then req.session.save().",
    ).toMatchObject({ name: username })

    const oldMe = await request(app).get('/me').set('Cookie', oldCookie)
    expect(
      oldMe.status,
      '🚨 the cookie from before the login must not be logged in: regenerate the session at login.',
    ).toBe(401)
  })

  it('accepts a JSON body and a form body', async () => {
    const app = await build()
    const json = await request(app).post('/login').send({ username: 'ada' })
    expect(json.status, noLogin).toBe(200)
    expect(
      json.body,
      '🚨 POST /login should answer the user it stored, as JSON: res.json(req.session.user).',
    ).toMatchObject({ name: 'ada' })
    const form = await request(app).post('/login').type('form').send({ username: 'grace' })
    expect(
      form.status,
      `🚨 POST /login should accept a form body too: add express.urlencoded({ extended: false }) to the route in ${where}/app.ts.`,
    ).toBe(200)
    expect(form.body, '🚨 a form login should store and answer the user named in the form.').toMatchObject({
      name: 'grace',
    })
  })

  it('answers 400 with a JSON error when the username is missing', async () => {
    const app = await build()
    const response = await request(app).post('/login').send({})
    expect(
      response.status,
      '🚨 POST /login without a username should answer 400: check req.body.username before regenerating.',
    ).toBe(400)
    expect(
      (response.body as { error?: unknown }).error,
      "🚨 the 400 should say what to send, as JSON: res.status(400).json({ error: '...' }).",
    ).toBeTypeOf('string')
  })
})

describe('GET /me', () => {
  it('answers the logged-in user, and 401 to anyone else', async () => {
    const app = await build()
    const agent = request.agent(app)
    const anonymous = await agent.get('/me')
    expect(
      anonymous.status,
      `🚨 GET /me without a login should answer 401: add app.get('/me', ...) in ${where}/app.ts.`,
    ).toBe(401)
    expect(
      (anonymous.body as { error?: unknown }).error,
      "🚨 the 401 should explain itself as JSON: res.status(401).json({ error: '...' }).",
    ).toBeTypeOf('string')
    const username = name()
    expect((await agent.post('/login').send({ username })).status, noLogin).toBe(200)
    const me = await agent.get('/me')
    expect(me.status, '🚨 GET /me after a login should answer 200 with req.session.user.').toBe(200)
    expect(me.body, '🚨 GET /me should answer the user stored at login: res.json(req.session.user).').toMatchObject({
      name: username,
    })
  })

  it('gives a forged or tampered cookie a fresh session: 401, never a 500', async () => {
    const app = await build()
    const login = await request(app).post('/login').send({ username: name() })
    expect(login.status, noLogin).toBe(200)
    const id = sessionIdOf(findCookie(login.headers['set-cookie'], 'connect.sid')) ?? ''
    const signed = `s:${sign(id, secret)}`
    const tampered = `${signed.slice(0, 5)}${signed[5] === 'A' ? 'B' : 'A'}${signed.slice(6)}`
    const forgeries = {
      'a tampered session id': tampered,
      'a signature made with another secret': `s:${sign(id, 'a guessed secret')}`,
      'an unsigned session id': id,
      garbage: 's:%%%.???',
    }
    for (const [what, value] of Object.entries(forgeries)) {
      const cookie = `connect.sid=${encodeURIComponent(value)}`
      const me = await request(app).get('/me').set('Cookie', cookie)
      expect(
        me.status,
        `🚨 GET /me with ${what} answered ${me.status}: it must get a fresh, anonymous session (401), never the user and never a 500.`,
      ).toBe(401)
      const again = await request(app).post('/login').set('Cookie', cookie).send({ username: 'mallory' })
      expect(
        again.status,
        `🚨 POST /login with ${what} in the cookie should still log in (200), with a new session.`,
      ).toBe(200)
      const newId = sessionIdOf(findCookie(again.headers['set-cookie'], 'connect.sid'))
      expect(newId, `🚨 a login with ${what} must get a session id of its own.`).not.toBe(id)
    }
  })
})

describe('anonymous visitors', () => {
  it('get no cookie and no document (saveUninitialized: false)', async () => {
    const app = await build()
    const response = await request(app).get('/me')
    expect(
      findCookie(response.headers['set-cookie'], 'connect.sid'),
      `🚨 a visitor who stored nothing got a connect.sid cookie: set saveUninitialized: false in session({ ... }) in ${where}/app.ts.`,
    ).toBeUndefined()
    expect(
      await sessions().countDocuments(),
      '🚨 a visitor who stored nothing got a session document: saveUninitialized: false stores sessions only once they hold something.',
    ).toBe(0)
  })
})

describe('POST /logout', () => {
  it('destroys the session and clears the cookie with the options it was set with', async () => {
    const app = await build()
    const login = await request(app).post('/login').send({ username: name() })
    expect(login.status, noLogin).toBe(200)
    const setLine = findCookie(login.headers['set-cookie'], 'connect.sid')
    const cookie = cookieOf(login)
    const id = sessionIdOf(setLine)

    const logout = await request(app).post('/logout').set('Cookie', cookie)
    expect(
      logout.status,
      `🚨 POST /logout should answer 2xx: add app.post('/logout', ...) in ${where}/app.ts.`,
    ).toBeLessThan(300)
    expect(
      logout.status,
      `🚨 POST /logout should answer 2xx: add app.post('/logout', ...) in ${where}/app.ts.`,
    ).toBeGreaterThanOrEqual(200)
    expect(
      await storedSession(id),
      '🚨 the session document is still in MongoDB after logout: call req.session.destroy() in POST /logout.',
    ).toBeUndefined()
    const cleared = findCookie(logout.headers['set-cookie'], 'connect.sid')
    expect(
      cleared,
      "🚨 POST /logout should clear the cookie: res.clearCookie('connect.sid', cookieOptions) after destroy().",
    ).toMatch(/Expires=Thu, 01 Jan 1970/i)
    expect(
      attributesOf(cleared),
      '🚨 clear the cookie with the options it was set with (path, httpOnly, sameSite, secure…): pass the same object to session({ cookie }) and res.clearCookie().',
    ).toEqual(attributesOf(setLine))

    const me = await request(app).get('/me').set('Cookie', cookie)
    expect(me.status, '🚨 after logout the old cookie must not be logged in any more.').toBe(401)
  })
})
