// Reads the sessions collection for the inspector page and `npm run sessions`. Read-only on
// purpose: it only sends find, listIndexes and a count (aggregate) to `sessions`, with a client of
// its own (test/tools/inspector.test.ts proves it with the driver's command monitoring).
import { BSON, type Document, MongoClient, type MongoClientOptions, MongoServerError } from 'mongodb'

/** connect-mongo's default collection, which the workshop keeps. */
export const sessionsCollection = 'sessions'

export interface SessionRow {
  id: string
  /** The session's `user`, shortened for a table cell; null when the session has none. */
  user: string | null
  /** `expires` in milliseconds since 1970, or null when the document has no date there. */
  expiresAt: number | null
  /** The document's size in BSON bytes, as MongoDB stores it. */
  size: number
}

export interface SessionDocument extends SessionRow {
  /** The whole document as Extended JSON, pretty-printed: `expires` shows as {"$date": …}, a real BSON date. */
  ejson: string
  /** connect-mongo stores the session as a JSON string (`stringify: true`); this is it parsed, or null. */
  session: unknown
}

export interface TtlIndex {
  name: string
  key: Document
  expireAfterSeconds: number
}

export interface SessionsSnapshot {
  /** The document whose `_id` is the requested session id, or null. */
  document: SessionDocument | null
  ttlIndex: TtlIndex | null
  /** The most recently renewed sessions first, at most `limit` of them. */
  sessions: SessionRow[]
  /** How many documents the collection holds. */
  total: number
}

/** A document as connect-mongo writes it; other fields are shown as they are. */
interface StoredSession extends Document {
  _id: string
}

export class SessionReader {
  readonly client: MongoClient

  constructor(
    url: string,
    readonly database: string,
    options: MongoClientOptions = {},
  ) {
    this.client = new MongoClient(url, {
      appName: 'session-inspector', // how this client shows up in MongoDB's logs and currentOp
      serverSelectionTimeoutMS: 3000, // a page polling every second must not wait 30 s for an answer
      ...options,
    })
  }

  private get collection() {
    return this.client.db(this.database).collection<StoredSession>(sessionsCollection)
  }

  async snapshot(sessionId: string | null, limit = 100): Promise<SessionsSnapshot> {
    const [document, ttlIndex, sessions, total] = await Promise.all([
      sessionId ? this.document(sessionId) : null,
      this.ttlIndex(),
      this.sessions(limit),
      this.collection.countDocuments({}),
    ])
    return { document, ttlIndex, sessions, total }
  }

  async document(sessionId: string): Promise<SessionDocument | null> {
    const found = await this.collection.findOne({ _id: sessionId })
    if (!found) return null
    return {
      ...rowOf(found),
      ejson: BSON.EJSON.stringify(found, undefined, 2, { relaxed: true }),
      session: parseSession(found.session),
    }
  }

  /** Every session (or the newest `limit`), most recently renewed first. */
  async sessions(limit?: number): Promise<SessionRow[]> {
    const cursor = this.collection.find({}).sort({ expires: -1 })
    if (limit !== undefined) cursor.limit(limit)
    return (await cursor.toArray()).map(rowOf)
  }

  async ttlIndex(): Promise<TtlIndex | null> {
    let indexes: Document[]
    try {
      indexes = await this.collection.indexes()
    } catch (error) {
      // MongoDB answers NamespaceNotFound (26) before the first session creates the collection.
      if (error instanceof MongoServerError && error.code === 26) return null
      throw error
    }
    const ttl = indexes.find((index) => typeof index.expireAfterSeconds === 'number')
    return ttl
      ? { name: String(ttl.name), key: ttl.key as Document, expireAfterSeconds: Number(ttl.expireAfterSeconds) }
      : null
  }

  async close(): Promise<void> {
    await this.client.close()
  }
}

function rowOf(document: Document): SessionRow {
  const expires: unknown = document.expires
  return {
    id: String(document._id),
    user: summarize(userOf(parseSession(document.session))),
    expiresAt: expires instanceof Date ? expires.getTime() : null,
    size: BSON.calculateObjectSize(document),
  }
}

/** The session object, whether connect-mongo stored it as a JSON string or as a sub-document. */
function parseSession(stored: unknown): unknown {
  if (typeof stored !== 'string') return stored ?? null
  try {
    return JSON.parse(stored) as unknown
  } catch {
    return null // encrypted (connect-mongo's crypto option) or not connect-mongo's
  }
}

function userOf(session: unknown): unknown {
  return session && typeof session === 'object' && 'user' in session ? session.user : undefined
}

/** { uuid: '12234-…' } → "uuid: 12234-…"; a user with a name → "name: ada"; anything else as compact JSON. */
function summarize(user: unknown): string | null {
  if (user === undefined || user === null) return null
  if (typeof user !== 'object') return String(user)
  // A logged-in user (POST /login) also holds a uuid and a login time: the name is what people know.
  if ('name' in user && typeof user.name === 'string') return `name: ${user.name}`
  const entries = Object.entries(user)
  const [key, value] = entries.length === 1 ? (entries[0] ?? []) : []
  if (typeof value === 'string' || typeof value === 'number') return `${key}: ${value}`
  return JSON.stringify(user)
}
