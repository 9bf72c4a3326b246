// Check 02: express-session gives every client a signed cookie and keeps its session.
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import {
  findCookie,
  loadModule,
  probePath,
  secret,
  sessionIdOf,
  shortDir,
  sign,
  withProbe,
  workshopDir,
  type AppModule,
} from './support/workshop.js'

const dir = workshopDir('02-session')
const where = shortDir(dir)
const noSession = `🚨 req.session is missing: add app.use(session({ secret, resave: false, saveUninitialized: true })) in ${where}/app.ts.`

describe('the session cookie', () => {
  it('is connect.sid, HttpOnly, and signed with the secret given to createApp()', async () => {
    const { createApp } = await loadModule<AppModule>(dir, 'app.ts')
    const response = await request(withProbe(createApp({ secret }))).get(probePath)
    expect(
      response.status,
      `🚨 requests should reach the app's routes: app.use(session({ ... })) in ${where}/app.ts, then the routes.`,
    ).toBe(200)
    const body = response.body as { id?: string }
    expect(body.id, noSession).toBeTypeOf('string')

    const cookie = findCookie(response.headers['set-cookie'], 'connect.sid')
    expect(
      cookie,
      `🚨 no connect.sid cookie was set: add app.use(session({ ... })) in ${where}/app.ts, before the routes that use it.`,
    ).toBeDefined()
    expect(
      cookie,
      `🚨 the session cookie must be HttpOnly, so page scripts cannot read it: leave cookie.httpOnly at its default (true).`,
    ).toMatch(/;\s*HttpOnly/i)
    expect(sessionIdOf(cookie), '🚨 the cookie should carry the session id, signed ("s:<id>.<signature>").').toBe(
      body.id,
    )
    const value = decodeURIComponent(cookie?.split(';')[0]?.slice('connect.sid='.length) ?? '')
    expect(
      value,
      `🚨 the cookie must be signed with the secret passed to createApp(): use session({ secret }) in ${where}/app.ts.`,
    ).toBe(`s:${sign(body.id ?? '', secret)}`)
  })
})

describe('the same client', () => {
  it('keeps the same session from one request to the next', async () => {
    const { createApp } = await loadModule<AppModule>(dir, 'app.ts')
    const agent = request.agent(withProbe(createApp({ secret })))
    const first = (await agent.get(probePath)).body as { id: string; visits: number }
    expect(first.id, noSession).toBeTypeOf('string')
    const second = (await agent.get(probePath)).body as { id: string; visits: number }
    expect(
      second.id,
      '🚨 a client that sends its cookie back should get the same session: check the session() options in app.ts.',
    ).toBe(first.id)
    expect(second.visits, '🚨 what one request stores in req.session should be there on the next request.').toBe(2)
  })

  it('gets a fresh session, not the one it names, when the signature is forged', async () => {
    const { createApp } = await loadModule<AppModule>(dir, 'app.ts')
    const app = withProbe(createApp({ secret }))
    const first = (await request(app).get(probePath)).body as { id: string }
    expect(first.id, noSession).toBeTypeOf('string')
    const forged = `connect.sid=${encodeURIComponent(`s:${sign(first.id, 'not the secret')}`)}`
    const response = await request(app).get(probePath).set('Cookie', forged)
    expect(
      response.status,
      '🚨 a cookie with a wrong signature must not break the app: it should get a new session.',
    ).toBe(200)
    expect(
      (response.body as { id: string }).id,
      '🚨 a cookie signed with another secret must never open the session it names: sign with session({ secret }).',
    ).not.toBe(first.id)
  })
})
