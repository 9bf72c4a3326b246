// The resolver's order and its messages, with the outside world replaced by small fakes; then
// the real probes against a port where nothing listens.
import { describe, expect, it } from 'vitest'
import { EmbeddedError, type EmbeddedMongo } from '../../tools/lib/embedded.js'
import { UserError } from '../../tools/lib/errors.js'
import {
  databaseOf,
  describeUrl,
  localUrl,
  ping,
  type ResolveDeps,
  resolveMongo,
  withDatabase,
} from '../../tools/lib/mongo.js'
import { freePort, listens } from '../../tools/lib/ports.js'

const running: EmbeddedMongo = {
  url: 'mongodb://127.0.0.1:27018',
  port: 27018,
  pid: 4242,
  dataDir: '.workshop/mongodb/data',
}

function fakes(
  answering: string[],
  {
    env = {},
    found,
    start = async () => running,
  }: {
    env?: Record<string, string>
    found?: EmbeddedMongo
    start?: () => Promise<EmbeddedMongo>
  } = {},
) {
  const asked: string[] = []
  const logged: string[] = []
  let started = 0
  const deps: ResolveDeps = {
    env,
    ping: async (url) => {
      asked.push(`ping ${url}`)
      return answering.includes(url)
    },
    listens: async (host, port) => {
      asked.push(`listens ${host}:${port}`)
      return answering.includes(`mongodb://${host}:${port}`)
    },
    findEmbedded: async () => {
      asked.push('find embedded')
      return found
    },
    startEmbedded: async () => {
      started++
      return start()
    },
    log: (line) => logged.push(line),
  }
  return { deps, asked, logged, started: () => started }
}

describe('resolveMongo', () => {
  it('1. uses MONGO_URL when it is set and answers, without looking further', async () => {
    const url = 'mongodb://db.example:27017/app'
    const { deps, asked } = fakes([url, localUrl], { env: { MONGO_URL: url } })
    const mongo = await resolveMongo(deps)
    expect(mongo.source).toBe('MONGO_URL')
    expect(mongo.url).toBe(url)
    expect(asked).toEqual([`ping ${url}`])
  })

  it('1. stops with one sentence when MONGO_URL does not answer', async () => {
    const { deps } = fakes([localUrl], { env: { MONGO_URL: 'mongodb://user:secret@db.example:27017/app' } })
    const error = await resolveMongo(deps).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(UserError)
    expect((error as Error).message).toBe(
      'MongoDB at MONGO_URL (db.example:27017) did not answer within 3 s: start that server (`npm run db:up` starts one with Docker) or unset MONGO_URL.',
    )
    expect((error as Error).message, 'never print the password').not.toContain('secret')
  })

  it('1. says what a connection string looks like when MONGO_URL is not one', async () => {
    const { deps } = fakes([], { env: { MONGO_URL: 'localhost:27017' } })
    await expect(resolveMongo(deps)).rejects.toThrow(
      'MONGO_URL is not a MongoDB connection string ("localhost:27017"): it should look like mongodb://127.0.0.1:27017/test-app.',
    )
  })

  it('2. uses the server on 127.0.0.1:27017 when MONGO_URL is not set', async () => {
    const { deps, logged, asked } = fakes([localUrl])
    const mongo = await resolveMongo(deps)
    expect(mongo.source).toBe('local')
    expect(mongo.url).toBe(localUrl)
    expect(asked).toEqual(['listens 127.0.0.1:27017', `ping ${localUrl}`])
    expect(logged).toEqual([])
  })

  it('2. does not ping 127.0.0.1:27017 when nothing listens there (a refusal is the answer)', async () => {
    const { deps, asked } = fakes([], { found: running })
    await resolveMongo(deps)
    expect(asked).toEqual(['listens 127.0.0.1:27017', 'find embedded'])
  })

  it("3. uses this workspace's running embedded MongoDB, starting nothing and saying how to stop it", async () => {
    const { deps, logged, started } = fakes([], { found: running })
    const mongo = await resolveMongo(deps)
    expect(mongo.source).toBe('embedded')
    expect(mongo.url).toBe('mongodb://127.0.0.1:27018')
    expect(mongo.description).toBe(
      "127.0.0.1:27018 (this workspace's embedded MongoDB, data in .workshop/mongodb/data; `npm run db:down` stops it)",
    )
    expect(started()).toBe(0)
    expect(logged).toEqual([])
  })

  it('3. starts the embedded MongoDB when none runs, and says in one line that it outlives the command', async () => {
    const { deps, logged, started } = fakes([])
    const mongo = await resolveMongo(deps)
    expect(mongo.source).toBe('embedded')
    expect(started()).toBe(1)
    expect(logged).toEqual([
      "No MongoDB on 127.0.0.1:27017: starting this workspace's embedded MongoDB (mongodb-memory-server), which keeps running for the next commands until `npm run db:down`.",
    ])
  })

  it('3. WORKSHOP_MONGO=embedded skips 127.0.0.1:27017; another value is refused in one sentence', async () => {
    const { deps, asked } = fakes([localUrl], { env: { WORKSHOP_MONGO: 'embedded' }, found: running })
    expect((await resolveMongo(deps)).source).toBe('embedded')
    expect(asked).toEqual(['find embedded'])
    await expect(resolveMongo(fakes([localUrl], { env: { WORKSHOP_MONGO: 'docker' } }).deps)).rejects.toThrow(
      'WORKSHOP_MONGO can only be "embedded" (this workspace\'s embedded MongoDB, even when a server answers on 127.0.0.1:27017), not "docker": unset it, or set MONGO_URL to choose a server.',
    )
  })

  it('3. offline: names npm run setup, MONGOMS_SYSTEM_BINARY, MONGOMS_DOWNLOAD_MIRROR, Docker and MONGO_URL', async () => {
    const { deps } = fakes([], {
      start: async () => {
        throw new EmbeddedError(
          'download',
          'mongod 8.2.6 could not be downloaded from fastdl.mongodb.org: getaddrinfo ENOTFOUND fastdl.mongodb.org',
        )
      },
    })
    await expect(resolveMongo(deps)).rejects.toThrow(
      'No MongoDB found: nothing answers on 127.0.0.1:27017, and mongod 8.2.6 could not be downloaded from fastdl.mongodb.org: getaddrinfo ENOTFOUND fastdl.mongodb.org: run `npm run setup` once while online, or name a mongod you have with MONGOMS_SYSTEM_BINARY or a download mirror with MONGOMS_DOWNLOAD_MIRROR; or start one with `npm run db:up` (Docker), or set MONGO_URL to a server that is running.',
    )
  })

  it('3. names the log when mongod does not start', async () => {
    const { deps } = fakes([], {
      start: async () => {
        throw new EmbeddedError('start', 'Instance closed unexpectedly with code "1" and signal "null"')
      },
    })
    await expect(resolveMongo(deps)).rejects.toThrow(
      'No MongoDB found: nothing answers on 127.0.0.1:27017, and the embedded MongoDB could not start (Instance closed unexpectedly with code "1" and signal "null"; .workshop/mongodb/server.log says more): start one with `npm run db:up` (Docker), or set MONGO_URL to a server that is running.',
    )
  })
})

describe('finding out that nothing listens', () => {
  it('listens() answers false well under a second where nothing listens', async () => {
    const port = await freePort()
    const started = performance.now()
    expect(await listens('127.0.0.1', port)).toBe(false)
    expect(performance.now() - started).toBeLessThan(500)
  })

  it('ping() answers false where nothing listens, within its timeout', async () => {
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
