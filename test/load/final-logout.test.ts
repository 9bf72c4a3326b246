// The finished server's logout stays final whatever fails: a request of the same visitor races the
// logout, and the connection to MongoDB is cut at each command of that race in turn (the project's
// TCP proxy reads MongoDB's wire messages and drops the chosen one). Whenever the logout answered
// that it is done, no request after it is authenticated, then or later, and MongoDB keeps no
// session for it. The sessions collection holds sessions only, and logouts without a cookie write
// nothing.
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mongoTarget, startTcpProxy, type TcpProxy, throughProxy } from '../../tools/lib/tcp-proxy.js'
import { closeCheckClient, openCheckClient } from '../support/database.js'
import { cookieLine, cookieOf, sessionIdOf } from '../support/http.js'
import {
  type CheckDatabase,
  checkDatabase,
  finishedStep,
  type InProcessApp,
  listeningApp,
  mongoUrl,
} from '../support/workshop.js'

const solution = finishedStep()
let database: CheckDatabase
let proxy: TcpProxy
let app: InProcessApp

beforeAll(async () => {
  await openCheckClient(mongoUrl())
  database = checkDatabase('final-logout')
  proxy = await startTcpProxy(mongoTarget(database.url), { mongodbMessages: true })
  app = await listeningApp(solution, throughProxy(database.url, proxy))
})

afterAll(async () => {
  await app?.close()
  await proxy?.close()
  await database?.drop()
  await closeCheckClient()
})

/** A MongoDB command on the sessions collection (its BSON names the collection). */
const onSessions = (message: Buffer) => message.includes(Buffer.from('sessions\0'))

async function logIn(name: string): Promise<{ cookie: string; id: string }> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const login = await request(app.base).post('/login').send({ username: name })
    if (login.status === 200) return { cookie: cookieOf(login), id: sessionIdOf(cookieLine(login)) ?? '' }
  }
  throw new Error('no login got through')
}

describe('a logout racing a write of the same session, with the connection cut at one command', () => {
  it('is final whenever it answered 204, at every command in turn', async () => {
    const outcomes: string[] = []
    for (let race = 0; race < 24; race++) {
      const cutAt = 1 + (race % 8)
      const { cookie, id } = await logIn(`race-${cutAt}`)
      let seen = 0
      proxy.cutAt((message) => onSessions(message) && ++seen === cutAt)
      const [, logout] = await Promise.all([
        request(app.base).get('/visits').set('Cookie', cookie),
        request(app.base).post('/logout').set('Cookie', cookie),
      ])
      proxy.cutAt(() => false) // disarmed, if this race made fewer commands
      if (logout.status !== 204) {
        outcomes.push(`${cutAt}: logout ${logout.status}`)
        continue
      }
      for (const wait of [0, 300]) {
        await new Promise((resolve) => setTimeout(resolve, wait))
        const me = await request(app.base).get('/me').set('Cookie', cookie)
        expect(me.status, `cut at command ${cutAt}, ${wait} ms after the logout`).not.toBe(200)
      }
      expect(await database.stored(id), `cut at command ${cutAt}: the session is still in MongoDB`).toBeUndefined()
      outcomes.push(`${cutAt}: final`)
    }
    console.log(`logout races with a cut: ${outcomes.join(', ')}`)
    expect(outcomes.filter((outcome) => outcome.endsWith('final')).length).toBeGreaterThan(0)
  })

  it('leaves only sessions in the collection; 20 logouts without a cookie write nothing', async () => {
    for (let i = 0; i < 3; i++) {
      const { cookie } = await logIn(`plain-${i}`)
      await request(app.base).post('/logout').set('Cookie', cookie)
    }
    const before = await database.db.collection('sessions').countDocuments()
    for (let i = 0; i < 20; i++) {
      const response = await request(app.base).post('/logout')
      expect(response.status).toBe(204)
    }
    const documents = await database.db.collection<{ _id: string; session?: unknown }>('sessions').find().toArray()
    expect(documents.length, 'the cookie-less logouts added no document').toBe(before)
    expect(
      documents.filter((document) => typeof document.session !== 'string'),
      'every document is a session',
    ).toEqual([])
  })
})
