// Where MongoDB comes from. One resolver for the checks and for `npm run step N`:
//   1. MONGO_URL, if set (Docker Compose, Atlas, any server);
//   2. else a server already answering on 127.0.0.1:27017 (what `npm run db:up` starts);
//   3. else this workspace's embedded MongoDB (embedded.ts): the running one, or one started now
//      that outlives the command, its data in .workshop/mongodb.
// WORKSHOP_MONGO=embedded skips the second place.
import { ConnectionString } from 'mongodb-connection-string-url'
import { EmbeddedError, type EmbeddedMongo, findEmbedded, startEmbedded } from './embedded.js'
import { UserError } from './errors.js'
import { listens } from './ports.js'
import { rootDir } from './steps.js'

export const localUrl = 'mongodb://127.0.0.1:27017'
/** The article's database (server.ts's default; the runner gives each learner their own, databases.ts). */
export const defaultDatabase = 'test-app'
export const pingTimeoutMs = 3000

export type MongoSource = 'MONGO_URL' | 'local' | 'embedded'

export interface ResolvedMongo {
  /** A connection string without a database name in it; add one with withDatabase(). */
  url: string
  source: MongoSource
  /** One line for humans: which server, and for the embedded one how to stop it. */
  description: string
  /** Nothing to stop: the embedded MongoDB outlives the command (`npm run db:down` stops it). Kept for callers. */
  stop(): Promise<void>
}

export interface ResolveDeps {
  env: Record<string, string | undefined>
  /** True when a MongoDB server answers `ping` at url within timeoutMs. */
  ping(url: string, timeoutMs: number): Promise<boolean>
  /** True when something accepts a TCP connection there; a refusal is a quick false. */
  listens(host: string, port: number): Promise<boolean>
  /** This workspace's embedded MongoDB, when it runs and answers. */
  findEmbedded(): Promise<EmbeddedMongo | undefined>
  /** Starts it (downloading mongod first, when it is missing), or waits for the one being started. */
  startEmbedded(log: (line: string) => void): Promise<EmbeddedMongo>
  log(line: string): void
}

/** Parses a connection string, or explains what a good one looks like. */
function parse(url: string, origin: string): ConnectionString {
  try {
    return new ConnectionString(url)
  } catch {
    throw new UserError(
      `${origin} is not a MongoDB connection string ("${url}"): it should look like ${localUrl}/${defaultDatabase}.`,
    )
  }
}

/** The same server with another database name in the path. */
export function withDatabase(url: string, database: string): string {
  const parsed = parse(url, 'The MongoDB URL')
  parsed.pathname = `/${database}`
  return parsed.toString()
}

/** The database named in a connection string, or undefined. */
export function databaseOf(url: string): string | undefined {
  const name = parse(url, 'The MongoDB URL').pathname.replace(/^\//, '')
  return name === '' ? undefined : decodeURIComponent(name)
}

/** host:port list with any password hidden, for messages. */
export function describeUrl(url: string): string {
  const parsed = parse(url, 'The MongoDB URL')
  return parsed.hosts.join(',')
}

export async function resolveMongo(deps: ResolveDeps = defaultDeps()): Promise<ResolvedMongo> {
  const fromEnv = deps.env.MONGO_URL?.trim()
  if (fromEnv) {
    parse(fromEnv, 'MONGO_URL')
    if (!(await deps.ping(fromEnv, pingTimeoutMs))) {
      throw new UserError(
        `MongoDB at MONGO_URL (${describeUrl(fromEnv)}) did not answer within ${pingTimeoutMs / 1000} s: ` +
          'start that server (`npm run db:up` starts one with Docker) or unset MONGO_URL.',
      )
    }
    return fixed(fromEnv, 'MONGO_URL', `${describeUrl(fromEnv)} (from MONGO_URL)`)
  }
  const embeddedOnly = wantsEmbedded(deps.env)
  // Nothing listening is the usual case on a laptop without Docker: a refused connection says so
  // at once, where the driver would try again for its whole server selection timeout.
  if (!embeddedOnly && (await deps.listens('127.0.0.1', 27017)) && (await deps.ping(localUrl, pingTimeoutMs))) {
    // Whose it is, the workshop cannot tell: Docker Compose's (npm run db:up), or one installed.
    return fixed(
      localUrl,
      'local',
      '127.0.0.1:27017 (the server already running there; `npm run db:down` stops it if `npm run db:up` started it)',
    )
  }
  const running = await deps.findEmbedded()
  if (running) return embedded(running)
  deps.log(
    `${embeddedOnly ? 'WORKSHOP_MONGO=embedded' : 'No MongoDB on 127.0.0.1:27017'}: starting this workspace's embedded MongoDB (mongodb-memory-server), which keeps running for the next commands until \`npm run db:down\`.`,
  )
  try {
    return embedded(await deps.startEmbedded(deps.log))
  } catch (error) {
    if (error instanceof EmbeddedError) throw new UserError(embeddedFailure(error, embeddedOnly))
    throw error
  }
}

/** WORKSHOP_MONGO=embedded: the embedded MongoDB even when a server answers on 127.0.0.1:27017. */
export function wantsEmbedded(env: Record<string, string | undefined>): boolean {
  const value = env.WORKSHOP_MONGO?.trim()
  if (!value) return false
  if (value === 'embedded') return true
  throw new UserError(
    `WORKSHOP_MONGO can only be "embedded" (this workspace's embedded MongoDB, even when a server answers on 127.0.0.1:27017), not "${value}": unset it, or set MONGO_URL to choose a server.`,
  )
}

/** The one sentence for an embedded MongoDB that is not there, with what to do about it. */
export function embeddedFailure(error: EmbeddedError, embeddedOnly = false): string {
  const nothing = embeddedOnly
    ? 'No MongoDB (WORKSHOP_MONGO=embedded):'
    : 'No MongoDB found: nothing answers on 127.0.0.1:27017, and'
  const instead = 'start one with `npm run db:up` (Docker), or set MONGO_URL to a server that is running'
  if (error.stage === 'download') {
    return `${nothing} ${error.message}: run \`npm run setup\` once while online, or name a mongod you have with MONGOMS_SYSTEM_BINARY or a download mirror with MONGOMS_DOWNLOAD_MIRROR; or ${instead}.`
  }
  if (error.stage === 'binary') {
    return `${nothing} the embedded MongoDB has no mongod to run (${error.message}): name a mongod there, or unset it so that \`npm run setup\` downloads one; or ${instead}.`
  }
  return `${nothing} the embedded MongoDB could not start (${error.message}; .workshop/mongodb/server.log says more): ${instead}.`
}

function embedded(mongo: EmbeddedMongo): ResolvedMongo {
  return fixed(
    mongo.url,
    'embedded',
    `127.0.0.1:${mongo.port} (this workspace's embedded MongoDB, data in ${mongo.dataDir}; \`npm run db:down\` stops it)`,
  )
}

function fixed(url: string, source: MongoSource, description: string): ResolvedMongo {
  return { url, source, description, stop: async () => {} }
}

/**
 * The driver, loaded when a command first talks to MongoDB: steps 1 and 2 need none, and their
 * checks start without it (it takes a sixth of a second to load).
 */
const driver = () => import('mongodb')

/** True when a MongoDB server answers `ping` at url within timeoutMs. */
export async function ping(url: string, timeoutMs: number): Promise<boolean> {
  const { MongoClient } = await driver()
  const client = new MongoClient(url, { serverSelectionTimeoutMS: timeoutMs, connectTimeoutMS: timeoutMs })
  try {
    await client.db('admin').command({ ping: 1 })
    return true
  } catch {
    return false
  } finally {
    await client.close().catch(() => {})
  }
}

/** Drops the database that url names: the demo's own, so that each demo starts empty. */
export async function dropDatabase(url: string): Promise<void> {
  const { MongoClient } = await driver()
  const client = new MongoClient(url, { serverSelectionTimeoutMS: pingTimeoutMs })
  try {
    await client.db().dropDatabase()
  } finally {
    await client.close()
  }
}

/** A server that listens and answers ping: for a recorded address, where a refusal is the usual "gone". */
export async function answers(url: string): Promise<boolean> {
  const [host] = new ConnectionString(url).hosts
  const [name, port] = (host ?? '').split(':')
  return (await listens(name ?? '127.0.0.1', Number(port ?? 27017))) && (await ping(url, pingTimeoutMs))
}

export function defaultDeps(root = rootDir): ResolveDeps {
  return {
    env: process.env,
    ping,
    listens,
    findEmbedded: () => findEmbedded(root, answers),
    startEmbedded: (log) => startEmbedded(root, log, answers),
    log: (line) => console.log(line),
  }
}
