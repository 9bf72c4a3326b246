import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../../tools/lib/ports.js'
import { liveASession, SessionClient } from '../../tools/lib/session-client.js'
import { mongoTarget, startTcpProxy, type TcpProxy, throughProxy } from '../../tools/lib/tcp-proxy.js'
import { closeCheckClient, openCheckClient } from '../support/database.js'
import { runServerProcess } from '../support/learner-server.js'
import {
  type CheckDatabase,
  checkDatabase,
  finishedStep,
  type InProcessApp,
  listeningApp,
  mongoUrl,
  secret,
} from '../support/workshop.js'

const solution = finishedStep()
const clients = 100
const readsPerSession = 3
const faultClients = 20

let database: CheckDatabase
let proxy: TcpProxy
let inProcess: InProcessApp
let base: string

beforeAll(async () => {
  await openCheckClient(mongoUrl())
  database = checkDatabase('load')
  proxy = await startTcpProxy(mongoTarget(database.url))
  inProcess = await listeningApp(solution, throughProxy(database.url, proxy))
  base = inProcess.base
})

afterAll(async () => {
  await inProcess?.close()
  await proxy?.close()
  await database?.drop()
  await closeCheckClient()
})

/** A whole session against the server under test (base). */
const live = (name: string, end: boolean) => liveASession(() => base, name, end, readsPerSession)

/** 100 clients at once; half of them end their session. */
async function round(label: string) {
  const lives = await Promise.all(Array.from({ length: clients }, (_, i) => live(`${label}-${i}`, i % 2 === 0)))
  const statuses = lives.flatMap(({ client }) => client.statuses)
  return { lives, statuses }
}

const sessions = () => database.db.collection<{ _id: string }>('sessions')

describe(`the finished server (${solution.name}) under load`, () => {
  it(`serves ${clients} concurrent clients living whole sessions: no 5xx, live sessions stored, ended ones gone`, async () => {
    const { lives, statuses } = await round('load')
    expect(
      statuses.filter((status) => status >= 500),
      'no 5xx under load',
    ).toEqual([])
    expect(
      lives.flatMap(({ client }) => client.networkErrors),
      'no connection errors',
    ).toEqual([])
    expect(
      lives.every(({ ok }) => ok),
      'every client saw its own user and its logout',
    ).toBe(true)
    expect(statuses.length).toBe(clients * (1 + readsPerSession) + (clients / 2) * 2)

    const live = lives.filter((_, i) => i % 2 !== 0).map(({ client }) => client.sessionId ?? '')
    const ended = lives
      .filter((_, i) => i % 2 === 0)
      .map(({ client }) => client.cookie.replace('connect.sid=ended-', ''))
    expect(new Set(live).size).toBe(clients / 2)
    expect(await sessions().countDocuments({ _id: { $in: live } }), 'every live session is in MongoDB').toBe(
      clients / 2,
    )
    expect(await sessions().countDocuments({ _id: { $in: ended } }), 'every ended session is gone').toBe(0)
  })

  it('answers 503 while MongoDB is cut off, stays up, and serves again once it returns', async () => {
    // The finished server.ts as its own process, with MongoDB behind a proxy this test can cut.
    const outageProxy = await startTcpProxy(mongoTarget(database.url))
    const port = await freePort()
    const app = runServerProcess(solution, {
      PORT: String(port),
      MONGO_URL: throughProxy(database.url, outageProxy),
      SESSION_SECRET: secret,
    })
    base = `http://127.0.0.1:${port}`
    try {
      await app.printed(/listening on port/i, 20_000, '"App listening on port …"')
      await outage(outageProxy)
      expect(app.running(), 'the server process stays up through the outage').toBe(true)
    } finally {
      base = inProcess.base
      await app.kill()
      await outageProxy.close()
    }
  })
})

/**
 * Clients keep living sessions, and opening connections, while MongoDB goes away for 3 s and
 * comes back. (Cutting while clients connect can leave the driver without a server for good:
 * docs/driver-lost-after-outage.md; runServerProcess loads the guard, tools/lib/driver-guard.mjs.)
 */
async function outage(proxy: TcpProxy): Promise<void> {
  const seen: number[] = []
  const networkErrors: string[] = []
  let running = true
  const traffic = Array.from({ length: faultClients }, async (_, i) => {
    for (let life = 0; running && life < 200; life++) {
      const { client } = await live(`fault-${i}-${life}`, life % 2 === 0)
      seen.push(...client.statuses)
      networkErrors.push(...client.networkErrors)
    }
  })

  await new Promise((resolve) => setTimeout(resolve, 500))
  proxy.cut()
  const during: number[] = []
  const cutAt = Date.now()
  while (Date.now() - cutAt < 3000) {
    const client = new SessionClient(() => base)
    await client.call('POST', '/login', { username: 'during-the-outage' })
    during.push(...client.statuses)
    const health = await fetch(`${base}/health`)
    expect(health.status, 'the process stays up and answers what needs no session').toBe(200)
  }
  proxy.restore()

  // Recovery: a whole session works again, without a restart, within a bounded wait.
  const restoredAt = Date.now()
  let recovered = false
  while (!recovered && Date.now() - restoredAt < 20_000) {
    recovered = (await live('after-the-outage', true)).ok
  }
  console.log(`recovered after ${Date.now() - restoredAt} ms`)
  running = false
  await Promise.all(traffic)
  // And the concurrent clients are served again.
  const after = await Promise.all(Array.from({ length: faultClients }, (_, i) => live(`after-${i}`, i % 2 === 0)))
  for (const { client } of after) {
    seen.push(...client.statuses)
    networkErrors.push(...client.networkErrors)
  }

  expect(during.length, 'requests were answered during the outage').toBeGreaterThan(0)
  expect(
    during.every((status) => status === 503),
    `during the outage every login got 503, saw ${[...new Set(during)].join(', ')}`,
  ).toBe(true)
  expect(
    seen.filter((status) => status >= 500 && status !== 503),
    'no 500s or other 5xx: an outage is a 503',
  ).toEqual([])
  expect(networkErrors, 'no request was dropped').toEqual([])
  expect(recovered, 'the server serves again after MongoDB returns').toBe(true)
  expect(
    after.every(({ ok }) => ok),
    'every client is served again after MongoDB returns',
  ).toBe(true)
}
