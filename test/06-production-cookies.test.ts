// Check 06: production cookies and secrets. Secure behind a trusted proxy, SameSite=Lax, one
// lifetime for the cookie and the document, a login that ends maxAge after it began however
// active it is, secret rotation, strong secrets in production, and no article routes there.
import type { Express } from 'express'
import type { Store } from 'express-session'
import request from 'supertest'
import { describe, it } from 'vitest'
import { freePort } from '../tools/lib/ports.js'
import {
  aName,
  answer,
  attributesOf,
  clears,
  cookieLine,
  cookieOf,
  cookieValue,
  sessionIdOf,
  sign,
  signedCookie,
} from './support/http.js'
import { learnerServers } from './support/learner-server.js'
import { checkedStep, checkFixtures, must, secret, thrownBy } from './support/workshop.js'

const step = checkedStep('06-production-cookies')
const { where } = step
const servers = learnerServers(step)
const hour = 60 * 60 * 1000

/** What step 06 adds to createApp's options. */
interface AppOptions {
  secret: string | string[]
  store?: Store
  trustProxy?: number | boolean
  maxAge?: number
  articleRoutes?: boolean
}
type Config = Record<string, unknown>

const { database, store, createApp } = checkFixtures(step, '06')

async function app(options: Omit<AppOptions, 'store'>, shared?: Store): Promise<Express> {
  return (await createApp<AppOptions>())({ ...options, store: shared ?? (await store()) })
}

const isSecure = (line: string | undefined) => /;\s*Secure(;|$)/i.test(line ?? '')

async function logIn(app: Express, headers: Record<string, string> = {}): Promise<request.Response> {
  const login = await answer(request(app).post('/login').set(headers).send({ username: aName() }), 'POST /login')
  must(
    login.status === 200,
    `POST /login answered ${login.status}, not 200: the login of an earlier step should still work (${where}/auth.ts).`,
  )
  // Every check below reads the cookie: without one, say so once, not as a wrong attribute.
  must(
    cookieLine(login),
    headers['X-Forwarded-Proto'] === 'https'
      ? `a login that came over HTTPS through the proxy (X-Forwarded-Proto: https) got no cookie at all: Express must trust the proxy (its 'trust proxy' setting, from trustProxy) in ${where}/app.ts, and the cookie's secure follow the request ('auto') in ${where}/session.ts.`
      : `a login over plain HTTP got no cookie at all: with secure: true, express-session sends none over HTTP; 'auto' follows req.secure (${where}/session.ts).`,
  )
  return login
}

describe('the session cookie', () => {
  it('is Secure exactly for requests that came over HTTPS through a trusted proxy', async () => {
    const shared = await store()
    const trusting = await app({ secret, trustProxy: 1 }, shared)
    const overHttps = await logIn(trusting, { 'X-Forwarded-Proto': 'https' })
    must(
      isSecure(cookieLine(overHttps)),
      `a login that came over HTTPS through the proxy (X-Forwarded-Proto: https) should get a Secure cookie: Express must trust the proxy (its 'trust proxy' setting, from trustProxy) in ${where}/app.ts, and the cookie's secure follow the request ('auto') in ${where}/session.ts.`,
    )
    const overHttp = cookieLine(await logIn(trusting))
    must(
      overHttp,
      `a login over plain HTTP got no cookie at all: with secure: true, express-session sends none over HTTP; 'auto' follows req.secure (${where}/session.ts).`,
    )
    must(
      !isSecure(overHttp),
      `a login over plain HTTP got a Secure cookie, which the browser would not keep: the cookie's secure should follow the request ('auto', req.secure) in ${where}/session.ts.`,
    )
    const untrusting = await app({ secret }, shared)
    must(
      !isSecure(cookieLine(await logIn(untrusting, { 'X-Forwarded-Proto': 'https' }))),
      `without trustProxy, anyone can send X-Forwarded-Proto: https: trust no proxy by default (trustProxy false), set through Express's 'trust proxy' setting, not express-session's proxy option (${where}/app.ts).`,
    )
  })

  it("is SameSite=Lax, and maxAge sets both its Expires and the document's expires", async () => {
    const application = await app({ secret, maxAge: hour })
    const before = Date.now()
    const login = await logIn(application)
    const line = cookieLine(login)
    must(
      /;\s*SameSite=Lax/i.test(line ?? ''),
      `the cookie should be SameSite=Lax: the cookie's sameSite option in ${where}/session.ts.`,
    )
    const expires = Date.parse(/;\s*Expires=([^;]+)/i.exec(line ?? '')?.[1] ?? '')
    must(
      Math.abs(expires - (before + hour)) < 60_000,
      `with createApp({ maxAge: one hour }) the login's cookie should expire in an hour: give the cookie its maxAge (${where}/session.ts), passed on from createApp() (${where}/app.ts).`,
    )
    const [document] = await database.sessions()
    const drift = Math.abs((document?.expires?.getTime() ?? 0) - (before + hour))
    must(
      drift < 60_000,
      "the session document should expire with the cookie: connect-mongo copies the cookie's expiry into `expires` once the cookie has a maxAge.",
    )
  })

  it('lasts 14 days by default: createApp() without maxAge', async () => {
    const application = (await createApp<AppOptions>())({ secret, store: await store() })
    const before = Date.now()
    const line = cookieLine(await logIn(application))
    const expires = Date.parse(/;\s*Expires=([^;]+)/i.exec(line ?? '')?.[1] ?? '')
    const days = (expires - before) / 86_400_000
    must(
      Math.abs(days - 14) < 0.1,
      `without maxAge, a login's cookie expires in ${Number.isNaN(days) ? 'no time (no Expires)' : `${days.toFixed(2)} days`}, not 14: maxAge is in milliseconds (${where}/app.ts).`,
    )
  })

  it('is cleared at logout with the attributes it was set with, over HTTPS and over HTTP', async () => {
    const application = await app({ secret, trustProxy: 1 })
    for (const [how, headers] of [
      ['HTTPS', { 'X-Forwarded-Proto': 'https' }],
      ['HTTP', {}],
    ] as const) {
      const login = await logIn(application, headers)
      const logout = await answer(
        request(application).post('/logout').set(headers).set('Cookie', cookieOf(login)),
        'POST /logout',
      )
      const cleared = cookieLine(logout)
      must(clears(cleared), `POST /logout over ${how} should clear the cookie (${where}/auth.ts).`)
      must(
        JSON.stringify(attributesOf(cleared)) === JSON.stringify(attributesOf(cookieLine(login))),
        `over ${how}, the logout cleared the cookie with ${attributesOf(cleared).join('; ')}, but it was set with ${attributesOf(cookieLine(login)).join('; ')}: clear it with the same options, its secure resolved from req.secure, since a browser ignores a Secure Set-Cookie over plain HTTP (${where}/session.ts).`,
      )
    }
  })
})

describe('a login', () => {
  it('ends maxAge after it began, however active the visitor is', async () => {
    const application = await app({ secret, maxAge: hour })
    const login = await logIn(application)
    const id = sessionIdOf(cookieLine(login)) ?? ''
    // Two hours later, for the app: every moment this session remembers moves back two hours
    // (the cookie aside, whose expiry slides with every request anyway).
    const sessions = database.db.collection<{ _id: string; session: unknown }>('sessions')
    const document = await sessions.findOne({ _id: id })
    must(
      typeof document?.session === 'string',
      'the login should store its session as connect-mongo does by default (a JSON string).',
    )
    const data = JSON.parse(document.session as string) as Record<string, unknown>
    const moved = shiftTimes(Object.fromEntries(Object.entries(data).filter(([key]) => key !== 'cookie')), -2 * hour)
    must(
      moved.count > 0,
      `the session keeps no time of the login: store the time in the user at login (the lesson calls it loggedInAt) in ${where}/auth.ts.`,
    )
    await sessions.updateOne(
      { _id: id },
      { $set: { session: JSON.stringify({ ...(moved.value as object), cookie: data.cookie }) } },
    )

    const me = await answer(request(application).get('/me').set('Cookie', cookieOf(login)), 'GET /me')
    must(
      me.status === 401,
      `a login from two hours ago, with maxAge one hour, still answered ${me.status}: the document's expiry slides with every request, so check the login's time on every request and end the session when it is older than maxAge (a middleware after the session's, ${where}/auth.ts and ${where}/app.ts).`,
    )
  })
})

describe('secrets', () => {
  it('rotate: a cookie signed with the previous secret still works, new cookies get the new one', async () => {
    const shared = await store()
    const before = await app({ secret: 'the previous secret of forty characters long' }, shared)
    const login = await logIn(before)
    const after = await app(
      { secret: ['the new secret of forty characters long too', 'the previous secret of forty characters long'] },
      shared,
    )
    const me = await answer(request(after).get('/me').set('Cookie', cookieOf(login)), 'GET /me')
    must(
      me.status === 200,
      `after a rotation, a cookie signed with the old secret should still work: pass every secret to session({ secret }), the new one first (AppOptions.secret: string | string[] in ${where}/app.ts).`,
    )
    const fresh = cookieLine(await logIn(after))
    must(
      cookieValue(fresh) === `s:${sign(sessionIdOf(fresh) ?? '', 'the new secret of forty characters long too')}`,
      'new cookies should be signed with the first secret of the array.',
    )
    const forged = await answer(
      request(after)
        .get('/me')
        .set('Cookie', signedCookie(sessionIdOf(fresh) ?? '', 'a secret nobody configured')),
      'GET /me',
    )
    must(
      forged.status === 401,
      'a cookie signed with an unknown secret must get a fresh session (401), never the session it names.',
    )
  })

  it('rotate through the server: with SESSION_OLD_SECRETS, a cookie signed with the previous secret still works', async () => {
    const previous = 'the previous secret of forty characters long'
    const env = { PORT: String(await freePort()), MONGO_URL: database.url }
    const before = await servers.started({ ...env, SESSION_SECRET: previous })
    const login = await fetch(`http://127.0.0.1:${before.port}/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: aName() }),
    })
    const cookie =
      login.headers
        .getSetCookie()
        .find((line) => line.startsWith('connect.sid='))
        ?.split(';')[0] ?? ''
    must(
      login.status === 200 && cookie,
      login.status === 200
        ? `POST /login on the server that start(env) started set no connect.sid cookie over plain HTTP: the cookie's secure should follow the request ('auto') in ${where}/session.ts.`
        : `POST /login on the server that start(env) started answered ${login.status}, not 200: start(env) should pass its settings to createApp() in ${where}/server.ts.`,
    )
    await login.arrayBuffer() // the connection is idle, so close() does not wait for it
    await before.close()
    const after = await servers.started({
      ...env,
      SESSION_SECRET: 'the new secret of forty characters long too',
      SESSION_OLD_SECRETS: previous,
    })
    const me = await fetch(`http://127.0.0.1:${after.port}/me`, { headers: { Cookie: cookie } })
    must(
      me.status === 200,
      `after a rotation (SESSION_SECRET new, SESSION_OLD_SECRETS the previous one), the old cookie answered ${me.status}: read SESSION_OLD_SECRETS in ${where}/config.ts, and pass createApp({ secret: [secret, ...oldSecrets] }) in ${where}/server.ts.`,
    )
  })

  it('are strong in production: readConfig refuses a missing, default or short one, the old ones too', async () => {
    const readConfig = await step.readConfig<Config>()
    const production = { NODE_ENV: 'production', PORT: '4000', MONGO_URL: database.url, SESSION_SECRET: secret }
    const refused = (env: NodeJS.ProcessEnv) => thrownBy(() => readConfig(env))
    must(
      refused(production) === '',
      `readConfig refused a production setup with a 50-character SESSION_SECRET: ${refused(production)}`,
    )
    const weak: Array<[string, NodeJS.ProcessEnv, string]> = [
      ['no SESSION_SECRET', { ...production, SESSION_SECRET: undefined }, 'SESSION_SECRET'],
      ['an empty SESSION_SECRET', { ...production, SESSION_SECRET: '' }, 'SESSION_SECRET'],
      ["the article's 'SECRET KEY'", { ...production, SESSION_SECRET: 'SECRET KEY' }, 'SESSION_SECRET'],
      ['a SESSION_SECRET of 8 characters', { ...production, SESSION_SECRET: 'short123' }, 'SESSION_SECRET'],
      ['a SESSION_SECRET of three spaces', { ...production, SESSION_SECRET: '   ' }, 'SESSION_SECRET'],
      [
        "'SECRET KEY' among SESSION_OLD_SECRETS",
        { ...production, SESSION_OLD_SECRETS: `${'x'.repeat(40)},SECRET KEY` },
        'SESSION_OLD_SECRETS',
      ],
      ['a short old secret', { ...production, SESSION_OLD_SECRETS: 'old' }, 'SESSION_OLD_SECRETS'],
    ]
    for (const [what, env, name] of weak) {
      const sentence = refused(env)
      must(
        sentence !== '',
        `with NODE_ENV=production and ${what}, readConfig(env) should throw: production needs secrets of at least 32 characters, never the default (${where}/config.ts).`,
      )
      must(sentence.includes(name), `with ${what}, readConfig threw "${sentence}": name the setting to fix, ${name}.`)
    }
    must(
      refused({ ...production, NODE_ENV: undefined, SESSION_SECRET: '' }) === '',
      'outside production, an unset SESSION_SECRET is fine: the development default applies.',
    )
    const proxies = refused({ ...production, TRUST_PROXY: 'yes' })
    must(
      /TRUST_PROXY/.test(proxies),
      `TRUST_PROXY=yes should be refused in a sentence naming TRUST_PROXY (a number of proxies), not ${proxies ? `"${proxies}"` : 'accepted'}.`,
    )
  })
})

describe('in production', () => {
  it('the server has no article routes, sends no X-Powered-By, and trusts TRUST_PROXY for Secure cookies', async () => {
    const port = await freePort()
    await servers.started({
      NODE_ENV: 'production',
      PORT: String(port),
      MONGO_URL: database.url,
      SESSION_SECRET: secret,
      TRUST_PROXY: '1',
    })
    const base = `http://127.0.0.1:${port}`
    for (const path of ['/', '/end']) {
      const response = await fetch(`${base}${path}`)
      must(
        response.status === 404,
        `in production, GET ${path} answered ${response.status}: the article's test routes (a login without a password, a logout any link can trigger) stay out of production: ask for them only outside production, with createApp's articleRoutes, in ${where}/server.ts.`,
      )
    }
    const login = await fetch(`${base}/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Forwarded-Proto': 'https' },
      body: JSON.stringify({ username: aName() }),
    })
    must(login.status === 200, `POST /login on the production server answered ${login.status}.`)
    must(
      !login.headers.has('x-powered-by'),
      `the answers carry X-Powered-By: Express, which tells attackers what to look up: turn Express's x-powered-by setting off in ${where}/app.ts.`,
    )
    const line = login.headers.getSetCookie().find((candidate) => candidate.startsWith('connect.sid='))
    must(
      isSecure(line),
      `with TRUST_PROXY=1, a login through an HTTPS proxy should get a Secure cookie: read TRUST_PROXY in ${where}/config.ts and pass it to createApp() as trustProxy (${where}/server.ts).`,
    )
    // Safe by default: the article's routes only when asked for.
    const plain = await app({ secret })
    must(
      (await answer(request(plain).get('/'), 'GET /')).status === 404,
      `createApp() without articleRoutes answered GET /: the article's routes (a login without a password) should be off unless createApp is asked for them (${where}/app.ts).`,
    )
    const asked = await app({ secret, articleRoutes: true })
    must(
      (await answer(request(asked).get('/'), 'GET /')).status === 200,
      `createApp({ articleRoutes: true }) should still have the article's GET / (${where}/app.ts).`,
    )
  })
})

/** Moves every time near now (a number of ms, or an ISO date) in a value by delta ms. */
function shiftTimes(value: unknown, delta: number): { value: unknown; count: number } {
  const now = Date.now()
  const near = (time: number) => Math.abs(time - now) < 10 * 60 * 1000
  if (typeof value === 'number' && near(value)) return { value: value + delta, count: 1 }
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value) && near(Date.parse(value))) {
    return { value: new Date(Date.parse(value) + delta).toISOString(), count: 1 }
  }
  if (Array.isArray(value)) {
    const items = value.map((item) => shiftTimes(item, delta))
    return { value: items.map((item) => item.value), count: items.reduce((sum, item) => sum + item.count, 0) }
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).map(([key, item]) => [key, shiftTimes(item, delta)] as const)
    return {
      value: Object.fromEntries(entries.map(([key, item]) => [key, item.value])),
      count: entries.reduce((sum, [, item]) => sum + item.count, 0),
    }
  }
  return { value, count: 0 }
}
