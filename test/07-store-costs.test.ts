// Check 07: a store that costs little and leaks nothing. Reads of an unchanged session write
// nothing (touchAfter), a login writes its session once, an anonymous visitor's session lasts hours,
// MongoDB holds no readable session when a key is given, and a logout stays final even when a
// request of the same visitor writes the session at the same moment.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import MongoStore from 'connect-mongo'
import type { Express } from 'express'
import type { Store } from 'express-session'
import request from 'supertest'
import { describe, it } from 'vitest'
import { freePort } from '../tools/lib/ports.js'
import { aName, answer, cookieLine, cookieOf, sessionIdOf } from './support/http.js'
import { learnerServers } from './support/learner-server.js'
import { limit } from './support/pace.js'
import { type ClosableStore, checkedStep, checkFixtures, fail, must, secret, thrownBy } from './support/workshop.js'

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
  must(
    login.status === 200,
    `POST /login answered ${login.status}, not 200: the login of an earlier step should still work (${where}/auth.ts).`,
  )
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
        `GET /visits answered ${response.status}: add it to a router in ${where}/visits.ts, and the router to the app in ${where}/app.ts.`,
      )
      answers.push(response.body)
    }
    must(
      JSON.stringify(answers) === '[{"visits":1},{"visits":2},{"visits":3}]',
      `three GET /visits should answer {"visits":1}, {"visits":2}, {"visits":3}, not ${answers.map((body) => JSON.stringify(body) ?? 'nothing').join(', ')}: count the visits in the session (req.session.visits, 0 at first) and answer the count as JSON (${where}/visits.ts).`,
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
      `5 reads of an unchanged session moved its expires date 5 times, a write each: give connect-mongo a touchAfter (in seconds) in ${where}/store.ts.`,
    )
  })

  it('with an encryption secret, keeps no readable session in MongoDB, and reads it back', async () => {
    const application = await app(await store({ encryptionSecret }))
    const name = aName()
    const login = await logIn(application, name)
    const readable = (stored: string) => stored.includes(name) || stored.includes('"user')
    must(
      !readable(JSON.stringify(await database.sessions())),
      `MongoDB holds the session readable after a login: with an encryptionSecret, give connect-mongo a crypto adapter made from it (its createWebCryptoAdapter) in ${where}/store.ts.`,
    )
    // A session that came from MongoDB is saved by the store's own update (the logout's task).
    await answer(request(application).get('/visits').set('Cookie', cookieOf(login)), 'GET /visits')
    must(
      !readable(JSON.stringify(await database.sessions())),
      `MongoDB holds the session readable once GET /visits changed it, though not after the login: the store's own update of a session that came from MongoDB writes it in clear; encrypt it with the store's crypto adapter, as connect-mongo's set() does (${where}/store.ts).`,
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
      `POST /login on the server that start(env) started answered ${login.status}, not 200: start(env) should pass its settings to createSessionStore() and createApp() in ${where}/server.ts.`,
    )
    must(
      !JSON.stringify(await database.sessions()).includes(name),
      `with SESSION_ENCRYPTION_KEY set, MongoDB holds the session readable: read it in ${where}/config.ts and hand it to createSessionStore() as its encryptionSecret (${where}/server.ts).`,
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
          ? `with NODE_ENV=production and ${what}, readConfig(env) should throw: a key anyone can guess encrypts nothing, so hold it to the rule of the secrets (at least 32 characters, never the default) in ${where}/config.ts.`
          : `with ${what}, readConfig threw "${sentence}": name the setting to fix, SESSION_ENCRYPTION_KEY.`,
      )
    }
  })
})

/** A visitor logged in to an app on a store of its own: where the logout races start. */
async function loggedIn() {
  const shared = await store()
  mustBeTheClassWritten(shared)
  const application = await app(shared)
  const login = await logIn(application)
  return { shared, application, cookie: cookieOf(login), id: sessionIdOf(cookieLine(login)) ?? '' }
}

type Write = 'insertOne' | 'updateOne' | 'replaceOne' | 'deleteOne' | 'deleteMany' | 'updateMany' | 'findOneAndUpdate'
const writes: Write[] = [
  'insertOne',
  'updateOne',
  'replaceOne',
  'deleteOne',
  'deleteMany',
  'updateMany',
  'findOneAndUpdate',
]

/**
 * The store's collection (connect-mongo's MongoStore keeps it in collectionP), its writes counted:
 * each one's name and the session id it names.
 */
async function countedWrites(shared: ClosableStore): Promise<Array<{ write: Write; id: unknown }>> {
  const collection = (await shared.collectionP) as Record<Write, unknown> | undefined
  must(
    typeof collection?.updateOne === 'function',
    `the store should be connect-mongo's MongoStore, or a class extending it (${where}/store.ts).`,
  )
  const seen: Array<{ write: Write; id: unknown }> = []
  for (const write of writes) {
    const original = collection[write] as
      | ((filter: { _id?: unknown }, ...rest: unknown[]) => Promise<unknown>)
      | undefined
    if (typeof original !== 'function') continue
    collection[write] = (filter: { _id?: unknown }, ...rest: unknown[]) => {
      seen.push({ write, id: filter?._id })
      return original.call(collection, filter, ...rest)
    }
  }
  return seen
}

/**
 * The store is the class store.ts writes, when it writes one: MongoStore.create() builds a
 * MongoStore whatever class it is called on, so a subclass's changes would never run.
 */
function mustBeTheClassWritten(shared: ClosableStore): void {
  const source = readFileSync(join(step.dir, 'store.ts'), 'utf8')
  const subclass = /class\s+(\w+)\s+extends\s+MongoStore/.exec(source)?.[1]
  must(
    !subclass || shared.constructor !== MongoStore,
    `the store is connect-mongo's own MongoStore, not your ${subclass}: MongoStore.create() builds a MongoStore whatever class it is called on; build yours with new (${where}/store.ts).`,
  )
}

describe('a login', () => {
  it('writes its session once', async () => {
    const shared = await store()
    mustBeTheClassWritten(shared)
    const application = await app(shared)
    const seen = await countedWrites(shared)
    const login = await logIn(application)
    const id = sessionIdOf(cookieLine(login))
    const own = seen.filter((write) => write.id === id)
    must(
      own.length === 1,
      `a login wrote its session ${own.length} times (${own.map((write) => write.write).join(', ')}): express-session saves it again as the answer ends, after the route's own save; a session saved again unchanged should cost no write (${where}/store.ts).`,
    )
  })

  it("an anonymous visitor's session lasts hours, a login's lasts maxAge", async () => {
    const application = await app(await store())
    const before = Date.now()
    const visit = await answer(request(application).get('/visits'), 'GET /visits')
    const anonymous = await database.db.collection('sessions').findOne({ _id: sessionIdOf(cookieLine(visit)) as never })
    must(
      anonymous,
      `GET /visits stored no session, so an anonymous visitor's lifetime cannot be seen: do the GET /visits task first (${where}/visits.ts).`,
    )
    const hours = ((anonymous.expires?.getTime() ?? 0) - before) / 3_600_000
    must(
      hours >= 0.5 && hours <= 6,
      hours < 0.5
        ? `an anonymous visitor's session expires in ${Math.round(hours * 3600)} s, not hours: its cookie's maxAge is in milliseconds (${where}/session.ts).`
        : `an anonymous visitor's session expires in ${Math.round(hours)} hours, not within hours: every bot and passer-by would leave a document for days; give a new session a lifetime of hours (its cookie's maxAge) in ${where}/session.ts.`,
    )
    const login = await logIn(application)
    const logged = await database.db.collection('sessions').findOne({ _id: sessionIdOf(cookieLine(login)) as never })
    const days = ((logged?.expires?.getTime() ?? 0) - before) / 86_400_000
    must(
      Math.abs(days - 14) < 0.1,
      `a login's session expires in ${days.toFixed(1)} days, not maxAge's 14: lengthen it at login (req.session.cookie.maxAge) in ${where}/auth.ts.`,
    )
  })
})

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
    const collection = (await shared.collectionP) as Record<
      Write,
      (filter: { _id?: unknown }, ...rest: unknown[]) => Promise<unknown>
    >
    must(
      typeof collection?.updateOne === 'function',
      `the store should be connect-mongo's MongoStore, or a class extending it (${where}/store.ts).`,
    )
    for (const write of writes) {
      const original = collection[write]
      if (typeof original !== 'function') continue
      collection[write] = (filter, ...rest) => {
        if (filter?._id !== id || write.startsWith('delete')) return original.call(collection, filter, ...rest)
        saving()
        return held.then(() => original.call(collection, filter, ...rest))
      }
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
          ? `GET /visits answered without saving the session: count the visits in the session, so that it changes on every visit (${where}/visits.ts).`
          : `GET /visits answered ${status}, so the race with a logout could not be run: do the GET /visits task first (${where}/visits.ts).`,
      )
    }
    const logout = await answer(request(application).post('/logout').set('Cookie', cookie), 'POST /logout')
    must(logout.status === 204 || logout.status === 200, `POST /logout answered ${logout.status} (${where}/auth.ts).`)
    release()
    await visits

    const me = await answer(request(application).get('/me').set('Cookie', cookie), 'GET /me')
    must(
      me.status === 401 && !(await database.stored(id)),
      `a request that saved the session just after the logout brought it back (connect-mongo saves with an upsert): save a session that came from MongoDB with an update, which cannot create it again, in ${where}/store.ts.`,
    )
  })

  it('leaves only sessions in the collection, and a logout without a session writes nothing', async () => {
    const shared = await store()
    const application = await app(shared)
    const seen = await countedWrites(shared)
    for (let i = 0; i < 3; i++) {
      const login = await logIn(application)
      await answer(request(application).post('/logout').set('Cookie', cookieOf(login)), 'POST /logout')
    }
    const kept = await logIn(application)
    const before = seen.length
    for (let i = 0; i < 5; i++) await answer(request(application).post('/logout'), 'POST /logout without a cookie')
    const written = seen.slice(before).filter((write) => !write.write.startsWith('delete'))
    must(
      written.length === 0,
      `5 logouts without a session wrote ${written.length} times to MongoDB (${written.map((write) => write.write).join(', ')}): a session that was never stored costs no write (${where}/store.ts, ${where}/auth.ts).`,
    )
    const documents = await database.db.collection<{ _id: string; session?: unknown }>('sessions').find().toArray()
    const strangers = documents.filter((document) => typeof document.session !== 'string')
    must(
      strangers.length === 0,
      `the sessions collection holds ${strangers.length} documents that are not sessions (e.g. ${JSON.stringify(strangers[0]?._id)}): connect-mongo's collection is for sessions only (its all() and length() read every document); keep any bookkeeping elsewhere (${where}/store.ts).`,
    )
    must(
      documents.length === 1 && documents[0]?._id === sessionIdOf(cookieLine(kept)),
      `after 3 logins and logouts and one login kept, "sessions" holds ${documents.length} documents, not 1: a logout deletes its session (${where}/auth.ts).`,
    )
  })
})
