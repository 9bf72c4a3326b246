// The resolver's order and its messages, with the outside world replaced by small fakes; then
// the real ping against a port where nothing listens.
import { describe, expect, it } from 'vitest'
import { UserError } from '../../tools/lib/errors.js'
import {
  databaseOf,
  describeUrl,
  localUrl,
  ping,
  resolveMongo,
  withDatabase,
  type ResolveDeps,
} from '../../tools/lib/mongo.js'
import { freePort } from '../../tools/lib/ports.js'

function fakes(
  answering: string[],
  embedded?: () => Promise<{ url: string; stop(): Promise<void> }>,
  env: Record<string, string> = {},
) {
  const pinged: string[] = []
  const logged: string[] = []
  const deps: ResolveDeps = {
    env,
    ping: async (url) => {
      pinged.push(url)
      return answering.includes(url)
    },
    startEmbedded: embedded ?? (async () => ({ url: 'mongodb://127.0.0.1:41234', stop: async () => {} })),
    log: (line) => logged.push(line),
  }
  return { deps, pinged, logged }
}

describe('resolveMongo', () => {
  it('1. uses MONGO_URL when it is set and answers, without looking further', async () => {
    const url = 'mongodb://db.example:27017/app'
    const { deps, pinged } = fakes([url, localUrl], undefined, { MONGO_URL: url })
    const mongo = await resolveMongo(deps)
    expect(mongo.source).toBe('MONGO_URL')
    expect(mongo.url).toBe(url)
    expect(pinged).toEqual([url])
  })

  it('1. stops with one sentence when MONGO_URL does not answer', async () => {
    const { deps } = fakes([localUrl], undefined, { MONGO_URL: 'mongodb://user:secret@db.example:27017/app' })
    const error = await resolveMongo(deps).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(UserError)
    expect((error as Error).message).toBe(
      'MongoDB at MONGO_URL (db.example:27017) did not answer within 3 s: start that server (`npm run db:up` starts one with Docker) or unset MONGO_URL.',
    )
    expect((error as Error).message, 'never print the password').not.toContain('secret')
  })

  it('1. says what a connection string looks like when MONGO_URL is not one', async () => {
    const { deps } = fakes([], undefined, { MONGO_URL: 'localhost:27017' })
    await expect(resolveMongo(deps)).rejects.toThrow(
      'MONGO_URL is not a MongoDB connection string ("localhost:27017"): it should look like mongodb://127.0.0.1:27017/test-app.',
    )
  })

  it('2. uses the server on 127.0.0.1:27017 when MONGO_URL is not set', async () => {
    const { deps, logged } = fakes([localUrl])
    const mongo = await resolveMongo(deps)
    expect(mongo.source).toBe('local')
    expect(mongo.url).toBe(localUrl)
    expect(logged).toEqual([])
  })

  it('3. starts an embedded MongoDB when nothing answers, and says so in one line', async () => {
    let stopped = false
    const { deps, logged } = fakes([], async () => ({
      url: 'mongodb://127.0.0.1:41234',
      stop: async () => {
        stopped = true
      },
    }))
    const mongo = await resolveMongo(deps)
    expect(mongo.source).toBe('embedded')
    expect(mongo.url).toBe('mongodb://127.0.0.1:41234')
    expect(logged).toHaveLength(1)
    expect(logged[0]).toContain('starting an embedded one')
    await mongo.stop()
    expect(stopped).toBe(true)
  })

  it('3. names npm run db:up and MONGO_URL when the embedded MongoDB cannot start (offline)', async () => {
    const { deps } = fakes([], async () => {
      throw new Error('Download failed for url "https://example/mongodb.tgz", Details:\ngetaddrinfo ENOTFOUND example')
    })
    await expect(resolveMongo(deps)).rejects.toThrow(
      'No MongoDB found: nothing answers on 127.0.0.1:27017 and the embedded MongoDB could not start (Download failed for url "https://example/mongodb.tgz", Details:). Start one with `npm run db:up` (Docker), or set MONGO_URL to a server that is running.',
    )
  })
})

describe('ping', () => {
  it('answers false, quickly, where nothing listens', async () => {
    const started = Date.now()
    expect(await ping(`mongodb://127.0.0.1:${await freePort()}`, 500)).toBe(false)
    expect(Date.now() - started).toBeLessThan(5000)
  })
})

describe('connection strings', () => {
  it('swap the database and keep hosts and options', () => {
    expect(withDatabase('mongodb://127.0.0.1:27017', 'test-app')).toBe('mongodb://127.0.0.1:27017/test-app')
    expect(withDatabase('mongodb://u:p@a:1,b:2/old?replicaSet=rs0', 'new')).toBe(
      'mongodb://u:p@a:1,b:2/new?replicaSet=rs0',
    )
    expect(databaseOf('mongodb://a:1/app?x=1')).toBe('app')
    expect(databaseOf('mongodb://a:1')).toBeUndefined()
    expect(describeUrl('mongodb://u:p@a:1,b:2/db')).toBe('a:1,b:2')
  })
})
