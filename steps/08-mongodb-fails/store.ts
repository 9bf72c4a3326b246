// Where sessions live between requests and across restarts: MongoDB's `sessions` collection.
import MongoStore, { type CryptoAdapter, createWebCryptoAdapter } from 'connect-mongo'
import type { Request } from 'express'
import type { Session, SessionData } from 'express-session'

export interface SessionStoreOptions {
  /** Encrypts every session before it is stored (AES-GCM); without it, MongoDB holds readable JSON. */
  encryptionSecret?: string
}

const ttl = 14 * 24 * 60 * 60 // seconds: how long a session lasts when its cookie sets no lifetime

// 🐨 1. With the driver's defaults, a request waits 30 seconds or more when MongoDB is down, and for
//    ever when it hangs (the lesson's "Every wait bounded"). `createMongoClient(mongoUrl,
//    timeoutMs)`, exported, builds the app's one MongoClient, and `timeoutMs` (1000 unless told
//    otherwise) bounds each of its four waits: finding a server, opening a connection, each
//    answer, a free connection in the pool. The driver also checks the server often enough (every
//    two timeouts, never more often than every 500 ms) to notice a hang within seconds.

// → task 3: takes the app's client, no longer a URL.
export function createSessionStore(mongoUrl: string, { encryptionSecret }: SessionStoreOptions = {}): MongoStore {
  // Encryption at rest: a leaked backup or a curious admin sees ciphertext, not who is logged in.
  const crypto = encryptionSecret ? createWebCryptoAdapter({ secret: encryptionSecret }) : undefined
  // `new`: connect-mongo's MongoStore.create() would build a MongoStore, not this class.
  return new FinalLogoutStore(
    {
      mongoUrl, // the database the URL names keeps the sessions
      ttl,
      autoRemove: 'native', // a TTL index on `expires`: MongoDB deletes expired sessions by itself
      touchAfter: 24 * 60 * 60, // seconds: an unchanged session is written back (touched) at most once a day
      cryptoAdapter: crypto,
    },
    crypto,
  )
}

type Callback = (error?: unknown) => void

/**
 * connect-mongo's store, with a logout that stays final. connect-mongo saves a session with an
 * upsert: a request that read a session before a logout and saves it after the logout would write
 * it back. Here a session that came from MongoDB is saved with an update, which cannot bring back
 * a document the logout deleted; only a new session is inserted. A session saved again unchanged
 * (a login: its route saves it, then express-session does at the end of the request) is written once.
 */
class FinalLogoutStore extends MongoStore {
  /** The sessions this store read or wrote, with the data MongoDB holds for each. */
  private readonly held = new WeakMap<object, string>()

  constructor(
    options: ConstructorParameters<typeof MongoStore>[0],
    private readonly crypto: CryptoAdapter | undefined,
  ) {
    super(options)
  }

  override createSession(req: Request, data: SessionData): Session & SessionData {
    const session = super.createSession(req, data)
    this.held.set(session, contentOf(session))
    return session
  }

  override set(sid: string, session: SessionData, callback: Callback = () => {}): void {
    const content = contentOf(session)
    const held = this.held.get(session)
    if (held === content) return void setImmediate(callback) // MongoDB has it already
    const done = (error?: unknown) => {
      if (!error) this.held.set(session, content)
      callback(error)
    }
    if (held === undefined)
      super.set(sid, session, done) // a new session: the first write creates it
    else this.update(sid, session).then(() => done(), done)
  }

  /** The document connect-mongo writes, as an update: a session deleted meanwhile stays deleted. */
  private async update(sid: string, session: SessionData): Promise<void> {
    const { lastModified: _, ...data } = session as SessionData & { lastModified?: Date }
    const json = JSON.stringify(data)
    const sessions = await this.collectionP
    await sessions.updateOne(
      { _id: sid },
      {
        $set: {
          session: this.crypto ? await this.crypto.encrypt(json) : json,
          expires: session.cookie.expires ?? new Date(Date.now() + ttl * 1000),
          lastModified: new Date(),
        },
      },
    )
  }
}

/** What a session holds, its cookie aside (whose expiry moves on every request). */
function contentOf(session: SessionData): string {
  const { cookie: _cookie, lastModified: _lastModified, ...data } = session as SessionData & { lastModified?: Date }
  return JSON.stringify(data)
}
