// Check 04: the article's routes, in an express.Router of article.ts. GET / stores a user in the
// session, GET /end destroys it and clears the cookie; a failed save or destroy reaches Express's
// error handling. (TypeScript must know what a session holds: the folder's type-check says so.)
import express, { type Express } from 'express'
import session from 'express-session'
import request from 'supertest'
import { describe, it } from 'vitest'
import { answer, clears, cookieLine, cookieName, sessionIdOf } from './support/http.js'
import { checkedStep, checkFixtures, must, secret } from './support/workshop.js'

const step = checkedStep('04-routes')
const { where } = step
const user = { uuid: '12234-2345-2323423' }

const fixtures = checkFixtures(step, '04')
const { database } = fixtures
// From the step that makes them optional, the article's routes are there only when asked for.
type Options = { secret: string; store?: session.Store; articleRoutes?: boolean }
const createApp = async () => {
  const create = await fixtures.createApp<Options>()
  return (options: Options) => create({ ...options, articleRoutes: true })
}

async function build(): Promise<Express> {
  return (await createApp())({ secret, store: await fixtures.store() })
}

/** Why GET / is a 404: no route in article.ts's router, or a router the app never adds. */
async function whyNotFound(): Promise<string> {
  const module = await step.load<Record<string, unknown>>('article.ts').catch(() => undefined)
  const router = module?.articleRouter
  if (typeof router !== 'function') {
    return `GET / answered 404: ${where}/article.ts should export articleRouter(), an express.Router() with GET / and GET /end.`
  }
  const alone = express()
  alone.use(session({ secret, resave: false, saveUninitialized: false }))
  alone.use((router as () => express.Router)())
  const answered = await answer(request(alone).get('/'), 'GET / on articleRouter() alone').catch(() => undefined)
  return answered && answered.status !== 404
    ? `GET / answered 404, though articleRouter() has the route: add the router to the app (app.use) in ${where}/app.ts.`
    : `GET / answered 404: add the route to the router articleRouter() returns, in ${where}/article.ts.`
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
    const response = await answer(request(await build()).get('/'), 'GET /')
    if (response.status === 404) must(false, await whyNotFound())
    must(response.status === 200, `GET / answered ${response.status}, not 200 (${where}/article.ts).`)
    must(
      JSON.stringify(response.body) === JSON.stringify(user),
      `GET / should answer the user it stored, ${JSON.stringify(user)}, once the session is saved (req.session.save's callback) in ${where}/article.ts.`,
    )
    const stored = await database.stored(sessionIdOf(cookieLine(response)))
    must(
      stored,
      `no session document for this cookie: GET / should save the session (req.session.save) in ${where}/article.ts.`,
    )
    must(
      JSON.stringify(stored.user) === JSON.stringify(user),
      `the stored session should hold the user ${JSON.stringify(user)}, in req.session.user.`,
    )
  })

  it('passes a failed save to next(error), so the visitor gets an error instead of waiting for ever', async () => {
    const app = (await createApp())({ secret, store: new BrokenStore() })
    const response = await answer(request(app).get('/'), 'GET / with a store that cannot save').catch(() => undefined)
    must(
      response,
      `GET / never answered when the save failed: pass save's error to next(error) instead of only logging it (${where}/article.ts).`,
    )
    must(
      response.status >= 500,
      `a failed save answered ${response.status}: pass save's error to next(error) (${where}/article.ts).`,
    )
  })
})

describe('GET /end', () => {
  it('destroys the session: the document is gone, and the cookie is cleared', async () => {
    const agent = request.agent(await build())
    const created = await answer(agent.get('/'), 'GET /')
    const id = sessionIdOf(cookieLine(created))
    must(await database.stored(id), 'GET / should store the session first.')

    const ended = await answer(agent.get('/end'), 'GET /end')
    must(ended.status === 200, `GET /end answered ${ended.status}: add it to the router of ${where}/article.ts.`)
    must(
      ended.text === 'Session is destroyed',
      `GET /end should answer 'Session is destroyed', not ${JSON.stringify(ended.text.slice(0, 60))}.`,
    )
    must(
      !(await database.stored(id)),
      `when GET /end answered, the session document was still in MongoDB: destroy the session (req.session.destroy), and answer in its callback (${where}/article.ts).`,
    )
    must(
      clears(cookieLine(ended)),
      `the browser still holds ${cookieName}: destroy() removes the document only; clear the cookie too (res.clearCookie, with the cookie's name and path), in ${where}/session.ts's clearSessionCookie.`,
    )
    const path = /;\s*Path=([^;]*)/i.exec(cookieLine(ended) ?? '')?.[1] ?? '(none)'
    must(
      path === '/',
      `GET /end cleared the cookie with Path=${path}, but it was set with Path=/: a browser drops a cookie only when its name and path match, so this one stays (${where}/session.ts).`,
    )
  })

  it('passes a failed destroy to next(error)', async () => {
    const app = (await createApp())({ secret, store: new BrokenStore() })
    const response = await answer(request(app).get('/end'), 'GET /end with a store that cannot delete').catch(
      () => undefined,
    )
    must(
      response,
      `GET /end never answered when destroy failed: pass destroy's error to next(error) (${where}/article.ts).`,
    )
    must(
      response.status >= 500,
      `a failed destroy answered ${response.status}: pass destroy's error to next(error) (${where}/article.ts).`,
    )
  })
})
