// Where MongoDB comes from. One resolver for the checks and for `npm run step N`:
//   1. MONGO_URL, if set (Docker Compose, Atlas, any server);
//   2. else a server already answering on 127.0.0.1:27017 (what `npm run db:up` starts);
//   3. else an embedded MongoDB (mongodb-memory-server), owned by the calling process.
import { MongoClient } from 'mongodb'
import { ConnectionString } from 'mongodb-connection-string-url'
import { UserError } from './errors.js'

export const localUrl = 'mongodb://127.0.0.1:27017'
/** The article's database. */
export const defaultDatabase = 'test-app'
export const pingTimeoutMs = 3000

export type MongoSource = 'MONGO_URL' | 'local' | 'embedded'

export interface ResolvedMongo {
  /** A connection string without a database name in it; add one with withDatabase(). */
  url: string
  source: MongoSource
  /** One line for humans, e.g. "MongoDB: 127.0.0.1:27017 (from MONGO_URL)". */
  description: string
  /** Stops the embedded server, if this process started one. */
  stop(): Promise<void>
}

export interface ResolveDeps {
  env: Record<string, string | undefined>
  ping(url: string, timeoutMs: number): Promise<boolean>
  startEmbedded(): Promise<{ url: string; stop(): Promise<void> }>
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
  if (await deps.ping(localUrl, pingTimeoutMs)) {
    return fixed(localUrl, 'local', '127.0.0.1:27017 (the server already running there)')
  }
  deps.log(
    'No MongoDB on 127.0.0.1:27017: starting an embedded one (mongodb-memory-server; the first run downloads mongod).',
  )
  let embedded: { url: string; stop(): Promise<void> }
  try {
    embedded = await deps.startEmbedded()
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]
    throw new UserError(
      `No MongoDB found: nothing answers on 127.0.0.1:27017 and the embedded MongoDB could not start (${reason}). ` +
        'Start one with `npm run db:up` (Docker), or set MONGO_URL to a server that is running.',
    )
  }
  return {
    url: embedded.url,
    source: 'embedded',
    description: `${describeUrl(embedded.url)} (embedded, stops when this command stops)`,
    stop: embedded.stop,
  }
}

function fixed(url: string, source: MongoSource, description: string): ResolvedMongo {
  return { url, source, description, stop: async () => {} }
}

/** True when a MongoDB server answers `ping` at url within timeoutMs. */
export async function ping(url: string, timeoutMs: number): Promise<boolean> {
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

async function startEmbedded(): Promise<{ url: string; stop(): Promise<void> }> {
  const { MongoMemoryServer } = await import('mongodb-memory-server')
  // mongodb-memory-server prints its own stack trace on failure; the resolver says it in one sentence.
  const warn = console.warn
  console.warn = () => {}
  try {
    const server = await MongoMemoryServer.create()
    return {
      url: server.getUri().replace(/\/$/, ''),
      stop: async () => {
        await server.stop()
      },
    }
  } finally {
    console.warn = warn
  }
}

export function defaultDeps(): ResolveDeps {
  return { env: process.env, ping, startEmbedded, log: (line) => console.log(line) }
}
