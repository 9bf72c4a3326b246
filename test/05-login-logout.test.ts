// Check 05: log in with a new session id (fixation), ask who is logged in, log out for good; no
// cookie and no document for anonymous visitors; a username of sane size; and every error,
// the client's bad body included, answered as JSON without a stack trace.

import type { AddressInfo } from 'node:net'
import { connect } from 'node:net'
import type { Express } from 'express'
import session from 'express-session'
import request from 'supertest'
import { describe, it } from 'vitest'
import {
  aName,
  answer,
  attributesOf,
  clears,
  cookieLine,
  cookieOf,
  leaksInternals,
  probePath,
  sessionIdOf,
  signedCookie,
  withProbe,
} from './support/http.js'
import { limit } from './support/pace.js'
import { checkedStep, checkFixtures, must, secret } from './support/workshop.js'

const step = checkedStep('05-login-logout')
const { where } = step
const isSecure = (line: string | undefined) => /;\s*Secure(;|$)/i.test(line ?? '')

const fixtures = checkFixtures(step, '05')
const { database } = fixtures
const createApp = () => fixtures.createApp<{ secret: string; store?: session.Store }>()

async function build(): Promise<Express> {
  return withProbe((await createApp())({ secret, store: await fixtures.store() }))
}

const noLogin = `POST /login should answer 200 with the user: add it to the router in ${where}/auth.ts, with Express's JSON and form body parsers on that route, and the router to the app in ${where}/app.ts`

/** Logs in as name and returns the answer, or fails with a sentence. */
async function logIn(app: Express, name = aName(), cookie = ''): Promise<request.Response> {
  const login = await answer(request(app).post('/login').set('Cookie', cookie).send({ username: name }), 'POST /login')
  must(login.status === 200, `${noLogin} (it answered ${login.status}).`)
  return login
}

describe('POST /login', () => {
  it('regenerates the session: a new id, and the session from before the login is gone (fixation)', async () => {
    const app = await build()
    // A session from before the login: one an attacker could have planted in the browser.
    const before = await answer(request(app).get(probePath), `GET ${probePath}`)
    const oldId = sessionIdOf(cookieLine(before))
    must(
      oldId,
      `the check could not start a session before logging in: the session middleware must come before the routes in ${where}/app.ts.`,
    )

    const name = aName()
    const login = await logIn(app, name, cookieOf(before))
    const newId = sessionIdOf(cookieLine(login))
    must(
      newId,
      `POST /login should set a new connect.sid cookie: regenerate the session (req.session.regenerate), then store the user (${where}/auth.ts).`,
    )
    must(
      newId !== oldId,
      `the session id must change at login (session fixation): regenerate the session (req.session.regenerate) before storing the user, in ${where}/auth.ts.`,
    )
    must(
      !(await database.stored(oldId)),
      'the session from before the login is still in MongoDB: req.session.regenerate() removes it; set the user inside its callback.',
    )
    const user = (await database.stored(newId))?.user as { name?: unknown } | undefined
    must(
      user?.name === name,
      `the new session document should hold the user and its name: store them inside regenerate's callback, then save the session (${where}/auth.ts).`,
    )
    const oldMe = await answer(request(app).get('/me').set('Cookie', cookieOf(before)), 'GET /me')
    must(
      (oldMe.body as { name?: unknown }).name !== name,
      'the cookie from before the login opens the logged-in session: regenerate the session at login.',
    )
  })

  it('accepts a JSON body and a form body, and answers the user as JSON', async () => {
    const app = await build()
    const json = await logIn(app, 'ada')
    must(
      (json.body as { name?: unknown }).name === 'ada',
      `POST /login should answer the user it stored, as JSON (${where}/auth.ts).`,
    )
    const form = await answer(
      request(app).post('/login').type('form').send({ username: 'grace' }),
      'POST /login with a form',
    )
    must(
      form.status === 200,
      `POST /login should accept a form body too (it answered ${form.status}): add Express's form body parser (express.urlencoded) to the route in ${where}/auth.ts.`,
    )
    must(
      (form.body as { name?: unknown }).name === 'grace',
      'a form login should store and answer the user named in the form.',
    )
  })

  it('answers 400 with a JSON error for a missing, empty, too long or non-text username, and stores nothing', async () => {
    const app = await build()
    const bodies: Array<[string, object]> = [
      ['no username', {}],
      ['an empty username', { username: '   ' }],
      ['a username of 65 characters', { username: 'a'.repeat(65) }],
      ['a username of 90,000 characters', { username: 'a'.repeat(90_000) }],
      ['a username that is not text', { username: { $gt: '' } }],
    ]
    for (const [what, body] of bodies) {
      const response = await answer(request(app).post('/login').send(body), `POST /login with ${what}`)
      must(
        response.status === 400,
        `POST /login with ${what} answered ${response.status}, not 400: check that req.body.username is text of 1 to 64 characters (trimmed) before regenerating (${where}/auth.ts).`,
      )
      must(
        typeof (response.body as { error?: unknown }).error === 'string',
        `the 400 should say what to send, as JSON with an \`error\` sentence (${where}/auth.ts).`,
      )
    }
    // A handler that goes on after its 400 saves later: wait for the store to be done.
    await fixtures.settled()
    const stored = await Promise.all((await database.sessions()).map((document) => database.stored(document._id)))
    must(
      !stored.some((session) => session?.user),
      `a refused login stored a user: right after answering 400, leave the handler (return), so it does not go on to log in (${where}/auth.ts).`,
    )
  })
})

describe('GET /me', () => {
  it('answers the logged-in user, and 401 with a JSON error to anyone else', async () => {
    const agent = request.agent(await build())
    const anonymous = await answer(agent.get('/me'), 'GET /me')
    must(
      anonymous.status === 401,
      `GET /me without a login answered ${anonymous.status}, not 401: add it to the router in ${where}/auth.ts.`,
    )
    must(
      typeof (anonymous.body as { error?: unknown }).error === 'string',
      `the 401 should explain itself as JSON with an \`error\` sentence (${where}/auth.ts).`,
    )
    const name = aName()
    const login = await answer(agent.post('/login').send({ username: name }), 'POST /login')
    must(login.status === 200, `${noLogin}.`)
    const me = await answer(agent.get('/me'), 'GET /me')
    must(
      me.status === 200,
      `GET /me after a login answered ${me.status}: answer the user of the session (${where}/auth.ts).`,
    )
    must(
      (me.body as { name?: unknown }).name === name,
      `GET /me should answer the user stored at login, as JSON (${where}/auth.ts).`,
    )
  })

  it('gives a forged or tampered cookie a fresh session: 401, never the user and never a 500', async () => {
    const app = await build()
    const id = sessionIdOf(cookieLine(await logIn(app))) ?? ''
    const signed = signedCookie(id, secret)
    const forgeries = {
      'a tampered signature': `${signed.slice(0, -3)}${signed.at(-3) === 'A' ? 'B' : 'A'}${signed.slice(-2)}`,
      'a signature made with another secret': signedCookie(id, 'a guessed secret'),
      'an unsigned session id': `connect.sid=${id}`,
      garbage: 'connect.sid=s%3A%25%25%25.%3F%3F%3F',
    }
    for (const [what, cookie] of Object.entries(forgeries)) {
      const probe = await answer(request(app).get(probePath).set('Cookie', cookie), `a request with ${what}`)
      must(
        probe.status === 200 && (probe.body as { id?: unknown }).id !== id,
        `a request with ${what} ${probe.status === 200 ? 'opened the logged-in session' : `answered ${probe.status}`}: it must get a fresh, anonymous session, never the user's and never a 500 (express-session's secret, in ${where}/session.ts).`,
      )
    }
  })
})

describe('anonymous visitors', () => {
  it('get no cookie and no document (saveUninitialized: false)', async () => {
    const response = await answer(request(await build()).get('/me'), 'GET /me')
    must(
      !cookieLine(response),
      `a visitor who stored nothing got a connect.sid cookie: turn express-session's saveUninitialized off in ${where}/session.ts.`,
    )
    must(
      (await database.sessions()).length === 0,
      `a visitor who stored nothing got a session document: with saveUninitialized off, express-session stores a session only once it holds something (${where}/session.ts).`,
    )
  })
})

describe('POST /logout', () => {
  it('destroys the session and clears the cookie with the options it was set with', async () => {
    const app = await build()
    const login = await logIn(app)
    const set = cookieLine(login)
    const id = sessionIdOf(set)
    const logout = await answer(request(app).post('/logout').set('Cookie', cookieOf(login)), 'POST /logout')
    must(
      logout.status >= 200 && logout.status < 300,
      `POST /logout answered ${logout.status}: add it to the router in ${where}/auth.ts.`,
    )
    must(
      !(await database.stored(id)),
      `the session document is still in MongoDB after logout: destroy the session (req.session.destroy) in POST /logout (${where}/auth.ts).`,
    )
    const cleared = cookieLine(logout)
    must(
      clears(cleared),
      `POST /logout should clear the cookie in destroy's callback (clearSessionCookie in ${where}/session.ts, with the options the cookie was set with).`,
    )
    const differ = [
      ...attributesOf(cleared).filter((part) => !attributesOf(set).includes(part)),
      ...attributesOf(set).filter((part) => !attributesOf(cleared).includes(part)),
    ]
    must(
      differ.length === 0,
      differ.join() === 'secure'
        ? `the logout cleared the cookie ${isSecure(cleared) ? 'with' : 'without'} Secure, but it was set ${isSecure(set) ? 'with' : 'without'} it: res.clearCookie() makes any truthy secure, 'auto' too, into Secure, so clear it with secure resolved from req.secure (${where}/session.ts).`
        : `the logout cleared the cookie with ${attributesOf(cleared).join('; ') || 'no attributes'}, but it was set with ${attributesOf(set).join('; ')}: one cookie options object, given to express-session and to res.clearCookie() (${where}/session.ts).`,
    )
    const after = await answer(request(app).get(probePath).set('Cookie', cookieOf(login)), `GET ${probePath}`)
    must(
      (after.body as { id?: unknown }).id !== id,
      `after logout the old cookie still opens its session: destroy the session in POST /logout (${where}/auth.ts).`,
    )
  })
})

/**
 * Why errors are not answered as JSON: an error handler with three parameters (Express tells an
 * error handler by its four), or none added last.
 */
async function errorHandlerHint(): Promise<string> {
  const module = await step.load<Record<string, unknown>>('errors.ts').catch(() => ({}))
  const handlers = Object.entries(module).filter(
    (entry): entry is [string, (...args: unknown[]) => unknown] => typeof entry[1] === 'function',
  )
  // An error handler written with three parameters, the error first: (error, req, res).
  const three = handlers.find(
    ([, handler]) => handler.length === 3 && /^(async\s*)?\(?\s*(error|err|e)\b/.test(String(handler)),
  )
  if (three && !handlers.some(([, other]) => other.length === 4)) {
    return `${three[0]} in ${where}/errors.ts takes three parameters, so Express treats it as an ordinary middleware and skips it for errors: an error handler takes four, (error, req, res, next).`
  }
  return `answer every error as JSON, with an error sentence: an error handler (four parameters) in ${where}/errors.ts, added after every route in ${where}/app.ts.`
}

describe('errors', () => {
  it('a body the app cannot read gets its 4xx as JSON: bad JSON 400, too large 413, unknown charset 415', async () => {
    const app = await build()
    const cases: Array<[string, number, (test: request.Test) => request.Test]> = [
      ['bad JSON', 400, (test) => test.set('Content-Type', 'application/json').send('{"username": ada')],
      [
        'a 2 MB body',
        413,
        (test) =>
          test.set('Content-Type', 'application/json').send(JSON.stringify({ username: 'a'.repeat(2_000_000) })),
      ],
      [
        'an unknown charset',
        415,
        (test) => test.set('Content-Type', 'application/json; charset=bogus').send('{"username":"ada"}'),
      ],
    ]
    for (const [what, status, body] of cases) {
      const response = await answer(body(request(app).post('/login')), `POST /login with ${what}`)
      must(
        response.status === status,
        `POST /login with ${what} answered ${response.status}, not ${status}: answer a client's error with its own status (the error's \`status\`) in the error handler (${where}/errors.ts).`,
      )
      must(
        /application\/json/.test(response.type) && typeof (response.body as { error?: unknown }).error === 'string',
        `POST /login with ${what} answered ${response.type || 'no type'}: ${await errorHandlerHint()}`,
      )
      must(
        !leaksInternals(response.text),
        `POST /login with ${what} answered with a stack trace or file paths: answer a sentence, never the error's insides (${where}/errors.ts).`,
      )
      must(
        !response.text.includes('ada'),
        `POST /login with ${what} answered ${JSON.stringify(response.text.slice(0, 80))}, which repeats what the client sent (body-parser's messages quote the body): answer a sentence of your own for each kind of refusal (the error's \`type\`) in ${where}/errors.ts.`,
      )
    }
  })

  it('only POST /login reads a body: a logout with a body the app cannot read still logs out', async () => {
    const app = await build()
    const login = await logIn(app)
    const logout = await answer(
      request(app)
        .post('/logout')
        .set('Cookie', cookieOf(login))
        .set('Content-Type', 'application/json')
        .send('{"oops'),
      'POST /logout with an unreadable JSON body',
    )
    must(
      logout.status >= 200 && logout.status < 300,
      `POST /logout with a body nobody reads answered ${logout.status}: a body parser for the whole app refuses it before the route runs; put the parsers on POST /login only (${where}/auth.ts, ${where}/app.ts).`,
    )
  })

  it('what no route answers gets a JSON 404: an unknown path, an unknown method, and OPTIONS *', async () => {
    const app = await build()
    for (const [what, send] of [
      ['GET /no-such-page', () => request(app).get('/no-such-page')],
      ['DELETE /me', () => request(app).delete('/me')],
    ] as const) {
      const response = await answer(send(), what)
      must(
        response.status === 404 && /application\/json/.test(response.type),
        `${what} answered ${response.status} ${response.type || 'with no type'}, not a JSON 404: after every route, add a handler for what none of them answered (${where}/errors.ts, added in ${where}/app.ts).`,
      )
    }
    const star = await rawRequest(app, 'OPTIONS * HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n')
    must(
      /^HTTP\/1\.1 4\d\d/.test(star) && /application\/json/i.test(star),
      `OPTIONS * answered ${star.split('\r\n')[0] || 'nothing'}, not a JSON 4xx: express-session gives such a request no session (req.session is undefined), so nothing before the 404 may count on one.`,
    )
  })

  it("an error of the app's own is a 500 with a JSON error, and says nothing of its insides", async () => {
    const broken = new (class extends session.MemoryStore {
      override destroy(_sid: string, callback?: (error?: unknown) => void): void {
        setImmediate(() => callback?.(new Error(`the store is down at ${process.cwd()}/secret/path.ts:12:3`)))
      }
    })()
    const app = (await createApp())({ secret, store: broken })
    const response = await answer(
      request(app).post('/login').send({ username: 'ada' }),
      'POST /login with a store that fails',
    )
    must(
      response.status === 500,
      `a store that fails at login should give a 500, not ${response.status}: pass regenerate's and save's errors to next(error) (${where}/auth.ts).`,
    )
    must(
      /application\/json/.test(response.type),
      `the 500 was ${response.type || 'no type'}, not JSON: ${await errorHandlerHint()}`,
    )
    must(
      !leaksInternals(response.text),
      `the 500 told the client about the app's insides (a stack, a path): log the error, answer a plain sentence (${where}/errors.ts).`,
    )
  })
})

/** Sends a raw request (a request line supertest cannot send) to the app, and returns what came back. */
async function rawRequest(app: Express, text: string): Promise<string> {
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening))
  })
  try {
    const { port } = server.address() as AddressInfo
    return await new Promise<string>((resolve) => {
      let reply = ''
      const socket = connect(port, '127.0.0.1', () => socket.end(text))
      socket.on('data', (chunk: Buffer) => {
        reply += chunk.toString()
      })
      socket.on('close', () => resolve(reply))
      socket.on('error', () => resolve(reply))
      socket.setTimeout(limit(3000), () => socket.destroy())
    })
  } finally {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
}
