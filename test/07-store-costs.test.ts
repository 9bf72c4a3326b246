// Check 07: a store that costs little and leaks nothing. Reads of an unchanged session write
// nothing (touchAfter), MongoDB holds no readable session when a key is given, and a logout stays
// final even when a request of the same visitor writes the session at the same moment.
import type { Express } from 'express'
import type { SessionData, Store } from 'express-session'
import request from 'supertest'
import { describe, it } from 'vitest'
import { freePort } from '../tools/lib/ports.js'
import { aName, answer, cookieLine, cookieOf, sessionIdOf } from './support/http.js'
import { learnerServers } from './support/learner-server.js'
import { limit } from './support/pace.js'
import { type ClosableStore, checkFixtures, checkedStep, fail, must, secret, thrownBy } from './support/workshop.js'

const step = checkedStep('07-store-costs')
const { where } = step
const servers = learnerServers(step)
const encryptionSecret = 'a key for the check, at least thirty-two characters'

const fixtures = checkFixtures(step, '07')
const { database } = fixtures

/**
 * The learner's store on this check's database. From step 08 on, createSessionStore takes a
 * MongoClient (createMongoClient builds it); until then, a URL.
 */
async function store(options?: { encryptionSecret?: string }): Promise<ClosableStore> {
  const built = await fixtures.store(options)
  await built.collectionP?.catch(() => {})
  return built
}

async function app(shared: Store): Promise<Express> {
  return (await fixtures.createApp<{ secret: string; store: Store }>())({ secret, store: shared })
}

async function logIn(application: Express, name = aName()): Promise<request.Response> {
  const login = await answer(request(application).post('/login').send({ username: name }), 'POST /login')
  must(login.status === 200, `POST /login answered ${login.status}, not 200 (step 05).`)
  return login
}

describe('GET /visits', () => {
  it("counts the visitor's requests in its session, and answers { visits: n }", async () => {
    const agent = request.agent(await app(await store()))
    const answers: unknown[] = []
    for (let i = 0; i < 3; i++) {
      const response = await answer(agent.get('/visits'), 'GET /visits')
      must(
        response.status === 200,
        `GET /visits answered ${response.status}: add app.get('/visits', …) in ${where}/app.ts.`,
      )
      answers.push(response.body)
    }
    must(
      JSON.stringify(answers) === '[{"visits":1},{"visits":2},{"visits":3}]',
      `three GET /visits should answer {"visits":1}, {"visits":2}, {"visits":3}, not ${answers.map((body) => JSON.stringify(body) ?? 'nothing').join(', ')}: req.session.visits = (req.session.visits ?? 0) + 1, then res.json({ visits: req.session.visits }).`,
    )
  })
})

describe('the store', () => {
  it('writes nothing when an unchanged session is only read (touchAfter)', async () => {
    const application = await app(await store())
    const login = await logIn(application)
    const id = sessionIdOf(cookieLine(login))
    const before = await database.db.collection('sessions').findOne({ _id: id as never })
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, 3))
      const me = await answer(request(application).get('/me').set('Cookie', cookieOf(login)), 'GET /me')
      must(me.status === 200, 'GET /me should answer the logged-in user (step 05).')
    }
    const after = await database.db.collection('sessions').findOne({ _id: id as never })
    must(
      after && before && after.expires?.getTime() === before.expires?.getTime(),
      `5 reads of an unchanged session moved its expires date 5 times, a write each: set touchAfter (in seconds, e.g. 24 * 60 * 60) in ${where}/store.ts.`,
    )
  })

  it('with an encryption secret, keeps no readable session in MongoDB, and reads it back', async () => {
    const application = await app(await store({ encryptionSecret }))
    const name = aName()
    const login = await logIn(application, name)
    await answer(request(application).get('/visits').set('Cookie', cookieOf(login)), 'GET /visits')
    const stored = JSON.stringify(await database.sessions())
    must(
      !stored.includes(name) && !stored.includes('"user'),
      `MongoDB holds the session readable: with createSessionStore(…, { encryptionSecret }), set cryptoAdapter: createWebCryptoAdapter({ secret: encryptionSecret }) in ${where}/store.ts.`,
    )
    const me = await answer(request(application).get('/me').set('Cookie', cookieOf(login)), 'GET /me')
    must(
      (me.body as { name?: unknown }).name === name,
      'an encrypted session should still read back: GET /me should answer the user.',
    )
  })

  it('is encrypted by the server when SESSION_ENCRYPTION_KEY is set', async () => {
    const port = await freePort()
    await servers.started({
      PORT: String(port),
      MONGO_URL: database.url,
      SESSION_SECRET: secret,
      SESSION_ENCRYPTION_KEY: encryptionSecret,
    })
    const name = aName()
    const login = await fetch(`http://127.0.0.1:${port}/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: name }),
    })
    must(
      login.status === 200,
      `POST /login on the server that start(env) started answered ${login.status}, not 200: start(env) should pass its settings to createSessionStore and createApp in ${where}/server.ts, and the login of step 05 should still work.`,
    )
    must(
      !JSON.stringify(await database.sessions()).includes(name),
      `with SESSION_ENCRYPTION_KEY set, MongoDB holds the session readable: read it in ${where}/config.ts and pass it as createSessionStore(…, { encryptionSecret }) in ${where}/server.ts.`,
    )
  })

  it('refuses a weak SESSION_ENCRYPTION_KEY in production', async () => {
    const readConfig = await step.readConfig<unknown>()
    const production = { NODE_ENV: 'production', PORT: '4000', MONGO_URL: database.url, SESSION_SECRET: secret }
    const refused = (env: NodeJS.ProcessEnv) => thrownBy(() => readConfig(env))
    const strong = refused({ ...production, SESSION_ENCRYPTION_KEY: encryptionSecret })
    must(strong === '', `readConfig refused a production setup with a 50-character SESSION_ENCRYPTION_KEY: ${strong}`)
    for (const [what, key] of [
      ['a SESSION_ENCRYPTION_KEY of 5 characters', 'short'],
      ["the article's 'SECRET KEY' as SESSION_ENCRYPTION_KEY", 'SECRET KEY'],
    ] as const) {
      const sentence = refused({ ...production, SESSION_ENCRYPTION_KEY: key })
      must(
        sentence.includes('SESSION_ENCRYPTION_KEY'),
        sentence === ''
          ? `with NODE_ENV=production and ${what}, readConfig(env) should throw: a key anyone can guess encrypts nothing, so hold it to the rule of step 06's secrets (at least 32 characters, never the default) in ${where}/config.ts.`
          : `with ${what}, readConfig threw "${sentence}": name the setting to fix, SESSION_ENCRYPTION_KEY.`,
      )
    }
  })
})

/** A visitor logged in to an app on a store of its own: where the logout races start. */
async function loggedIn() {
  const shared = await store()
  const application = await app(shared)
  const login = await logIn(application)
  return { shared, application, cookie: cookieOf(login), id: sessionIdOf(cookieLine(login)) ?? '' }
}

/** The store's collection, with its method `name` to wrap (connect-mongo's MongoStore keeps it in collectionP). */
async function sessionsCollection<K extends 'updateOne' | 'deleteOne'>(
  shared: ClosableStore,
  name: K,
): Promise<Record<K, (filter: { _id?: unknown }, ...rest: unknown[]) => Promise<unknown>>> {
  const collection = (await shared.collectionP) as Record<K, unknown> | undefined
  must(
    typeof collection?.[name] === 'function',
    `the store should be connect-mongo's MongoStore, or a class extending it (${where}/store.ts).`,
  )
  return collection as Record<K, (filter: { _id?: unknown }, ...rest: unknown[]) => Promise<unknown>>
}

describe('a logout', () => {
  it('stays final when a request of the same visitor writes the session at the same moment', async () => {
    const { shared, application, cookie, id } = await loggedIn()

    // The race, made certain: GET /visits has read the session and its save is on its way to
    // MongoDB when the logout destroys it; that write is held until the logout has answered.
    let release = () => {}
    const held = new Promise<void>((resolve) => {
      release = resolve
    })
    let saving = () => {}
    const reached = new Promise<void>((resolve) => {
      saving = resolve
    })
    const collection = await sessionsCollection(shared, 'updateOne')
    const write = collection.updateOne.bind(collection)
    collection.updateOne = (filter, ...rest) => {
      if (filter?._id !== id) return write(filter, ...rest)
      saving()
      return held.then(() => write(filter, ...rest))
    }
    const visits = answer(request(application).get('/visits').set('Cookie', cookie), 'GET /visits', 10_000)
    const racing = await Promise.race([
      reached.then(() => true),
      new Promise((resolve) => setTimeout(() => resolve(false), limit(3000, 12))),
    ])
    if (!racing) {
      const status = (await visits).status
      fail(
        status === 200
          ? 'GET /visits answered without saving the session: count in req.session.visits, so the session changes on every visit.'
          : `GET /visits answered ${status}, so the race with a logout could not be run: do task 1 first (app.get('/visits', …) in ${where}/app.ts).`,
      )
    }
    const logout = await answer(request(application).post('/logout').set('Cookie', cookie), 'POST /logout')
    must(logout.status === 204 || logout.status === 200, `POST /logout answered ${logout.status} (step 05).`)
    release()
    await visits

    const me = await answer(request(application).get('/me').set('Cookie', cookie), 'GET /me')
    must(
      me.status === 401 && !(await database.stored(id)),
      `a request that saved the session just after the logout brought it back (a save is an upsert): in ${where}/store.ts, have destroy() leave a mark first, and have a save that finds the mark delete what it wrote.`,
    )
  })

  it("stays final when that write lands between the logout's deletion and the rest of destroy()", async () => {
    const { shared, application, cookie, id } = await loggedIn()
    await answer(request(application).get('/visits').set('Cookie', cookie), 'GET /visits')
    // The session as that request would save it: the logged-in user and a visit more.
    const session = await new Promise<SessionData>((resolve, reject) =>
      shared.get(id, (error, found) => (error || !found ? reject(error ?? new Error('no session')) : resolve(found))),
    ).catch(() => fail(`after a login and GET /visits, the store should find the session (${where}/store.ts).`))

    // The worst moment, made certain: the logout's deletion of the document has just happened, and
    // before destroy() goes on, a request of the same visitor saves the session (and checks for the
    // mark, as its save does). A destroy() that deletes first and marks after lets it come back.
    const collection = await sessionsCollection(shared, 'deleteOne')
    const remove = collection.deleteOne.bind(collection)
    let deleted = false
    collection.deleteOne = async (filter, ...rest) => {
      const result = await remove(filter, ...rest)
      if (filter?._id === id && !deleted) {
        deleted = true
        await new Promise<void>((resolve) => shared.set(id, session, () => resolve()))
      }
      return result
    }
    const logout = await answer(request(application).post('/logout').set('Cookie', cookie), 'POST /logout')
    must(logout.status === 204 || logout.status === 200, `POST /logout answered ${logout.status} (step 05).`)
    must(
      deleted,
      `POST /logout should delete the session's document: destroy() ends with MongoStore's own destroy (super.destroy(sid, callback)) in ${where}/store.ts.`,
    )

    const me = await answer(request(application).get('/me').set('Cookie', cookie), 'GET /me')
    must(
      me.status === 401 && !(await database.stored(id)),
      `a save that landed right after the logout deleted the document, and before destroy() left its mark, brought the session back: leave the mark first, then delete (the order is the whole trick) in ${where}/store.ts.`,
    )
  })
})
