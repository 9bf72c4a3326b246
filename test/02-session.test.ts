// Check 02: express-session gives every visitor a signed cookie and keeps its session; the
// secret comes from SESSION_SECRET, where an empty value counts as unset.
import request from 'supertest'
import { describe, it } from 'vitest'
import { freePort } from '../tools/lib/ports.js'
import {
  answer,
  cookieLine,
  cookieName,
  cookieValue,
  peekPath,
  probePath,
  sessionIdOf,
  sign,
  signedCookie,
  withProbe,
} from './support/http.js'
import { learnerServers } from './support/learner-server.js'
import { checkedStep, checkFixtures, exported, must, secret } from './support/workshop.js'

const step = checkedStep('02-session')
const { where } = step
const servers = learnerServers(step)
const { mongoEnv } = checkFixtures(step, '02')

type CreateApp = (options: { secret: string }) => import('express').Express
type Config = { secret?: unknown }
const noSession = `req.session is missing: sessions() in ${where}/session.ts should return express-session's middleware, and createApp() add it with app.use() in ${where}/app.ts.`

async function app(): Promise<import('express').Express> {
  const module = await step.load<Record<string, unknown>>('app.ts')
  const createApp = exported<CreateApp>(module, 'createApp', `${where}/app.ts`, 'createApp({ secret })')
  return withProbe(createApp({ secret }))
}

/** The name of a signed cookie ("s:<id>.<signature>") the answer set under another name than connect.sid. */
function signedCookieNamed(response: { headers: Record<string, unknown> }): string | undefined {
  const header = response.headers['set-cookie']
  const lines = Array.isArray(header) ? (header as string[]) : []
  const signed = lines.find((candidate) => /^[^=]+=s%3A/.test(candidate) && !candidate.startsWith(`${cookieName}=`))
  return signed?.split('=')[0]
}

interface Probe {
  id?: string | null
  visits?: number
  /** How many times the session store was asked to write a whole session so far. */
  sets?: number
}

describe('the session cookie', () => {
  it('is connect.sid, HttpOnly, and signed with the secret given to createApp()', async () => {
    const response = await answer(request(await app()).get(probePath), `GET ${probePath}`)
    must(
      response.status === 200,
      `requests should reach the app's routes (one answered ${response.status}): add the session middleware with app.use() in ${where}/app.ts, before the routes.`,
    )
    const { id } = response.body as Probe
    must(typeof id === 'string', noSession)
    const line = cookieLine(response)
    const other = signedCookieNamed(response)
    must(
      line || !other,
      `the session cookie is named ${other}, not connect.sid: leave express-session's \`name\` option at its default in ${where}/session.ts (the browser, the checks and the logout look for connect.sid).`,
    )
    must(
      line,
      `no connect.sid cookie was set, though a session exists: give express-session the options the lesson names in ${where}/session.ts (saveUninitialized, as the article does; and no cookie: { secure: true }, which sends no cookie over plain HTTP).`,
    )
    must(
      /;\s*HttpOnly/i.test(line),
      `the session cookie must be HttpOnly, so page scripts cannot read it: leave express-session's cookie.httpOnly at its default, true (${where}/session.ts).`,
    )
    must(sessionIdOf(line) === id, 'the cookie should carry the session id, signed ("s:<id>.<signature>").')
    must(
      cookieValue(line) === `s:${sign(id, secret)}`,
      `the cookie must be signed with the secret passed to createApp(): hand it on to sessions() in ${where}/app.ts, and to express-session's \`secret\` option in ${where}/session.ts.`,
    )
  })
})

describe('the same visitor', () => {
  it('keeps its session from one request to the next', async () => {
    const agent = request.agent(await app())
    const first = (await answer(agent.get(probePath), `GET ${probePath}`)).body as Probe
    must(typeof first.id === 'string', noSession)
    const second = (await answer(agent.get(probePath), `GET ${probePath}`)).body as Probe
    must(
      second.id === first.id,
      `a visitor who sends its cookie back should get the same session: check express-session's options in ${where}/session.ts.`,
    )
    must(second.visits === 2, 'what one request stores in req.session should be there on the next request.')
  })

  it('is not written back whole when a request leaves its session unchanged (resave: false)', async () => {
    const agent = request.agent(await app())
    const created = (await answer(agent.get(probePath), `GET ${probePath}`)).body as Probe
    must(typeof created.id === 'string', noSession)
    // The count a request sees is the one before its own write: the first peek sees the probe's.
    const first = (await answer(agent.get(peekPath), `GET ${peekPath}`)).body as Probe
    await answer(agent.get(peekPath), `GET ${peekPath}`)
    const after = (await answer(agent.get(peekPath), `GET ${peekPath}`)).body as Probe
    must(
      after.sets === first.sets,
      `two requests that only read the session wrote it back ${(after.sets ?? 0) - (first.sets ?? 0)} more times: express-session's resave should be off, so that an unchanged session is not written back (${where}/session.ts).`,
    )
  })

  it('gets a fresh session, not the one it names, when the signature is forged', async () => {
    const application = await app()
    const first = (await answer(request(application).get(probePath), `GET ${probePath}`)).body as Probe
    must(typeof first.id === 'string', noSession)
    const forged = await answer(
      request(application).get(probePath).set('Cookie', signedCookie(first.id, 'not the secret')),
      `GET ${probePath} with a forged cookie`,
    )
    must(
      forged.status === 200,
      `a cookie with a wrong signature must not break the app (it answered ${forged.status}): it gets a new session.`,
    )
    must(
      (forged.body as Probe).id !== first.id,
      `a cookie signed with another secret must never open the session it names: express-session must get the secret (${where}/session.ts).`,
    )
  })
})

describe('GET /health', () => {
  it('gets no session: health checks and load balancers call it often, and need none', async () => {
    const response = await answer(request(await app()).get('/health'), 'GET /health')
    must(
      !cookieLine(response),
      `GET /health got a connect.sid cookie: add the session middleware after the health route, so that only the routes after it get a session (${where}/app.ts).`,
    )
  })
})

describe('the secret', () => {
  it("comes from SESSION_SECRET, and is the article's 'SECRET KEY' when SESSION_SECRET is unset or empty", async () => {
    const readConfig = await step.readConfig<Config>()
    const base = { PORT: '4000', MONGO_URL: 'mongodb://127.0.0.1:27017/test-app' }
    const given = readConfig({ ...base, SESSION_SECRET: secret }).secret
    must(
      given === secret,
      `readConfig(env) should give the secret from SESSION_SECRET (it gave ${JSON.stringify(given)}) in ${where}/config.ts.`,
    )
    for (const value of [undefined, '']) {
      const fallback = readConfig({ ...base, SESSION_SECRET: value }).secret
      must(
        fallback === 'SECRET KEY',
        `with SESSION_SECRET ${value === undefined ? 'unset' : 'empty'}, the secret should be 'SECRET KEY', not ${JSON.stringify(fallback)}: ${value === '' ? 'an empty value counts as unset, and ?? keeps an empty string where || does not' : "fall back to the article's secret"} (${where}/config.ts).`,
      )
    }
  })

  it('reaches the session: a server started with SESSION_SECRET signs with it, and never fails a request for want of one', async () => {
    const port = await freePort()
    await servers.started({ PORT: String(port), ...mongoEnv(), SESSION_SECRET: secret })
    const response = await fetch(`http://127.0.0.1:${port}/__check/no-such-page`).catch(() => undefined)
    must(response, 'the server start(env) started did not answer.')
    await response.arrayBuffer() // the connection is idle, so close() does not wait for it
    must(
      response.status < 500,
      `a request to the server start(env) started answered ${response.status}: hand the secret readConfig() read to createApp() in ${where}/server.ts.`,
    )
    // From step 05 on, a visitor who stores nothing gets no cookie; until then, every visitor does.
    const line = response.headers.getSetCookie().find((candidate) => candidate.startsWith(`${cookieName}=`))
    const id = sessionIdOf(line)
    if (id)
      must(
        cookieValue(line) === `s:${sign(id, secret)}`,
        `start(env) should sign cookies with SESSION_SECRET: hand readConfig()'s secret to createApp() in ${where}/server.ts.`,
      )
  })
})
