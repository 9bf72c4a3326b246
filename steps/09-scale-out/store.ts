// Where sessions live between requests and across restarts: MongoDB's `sessions` collection.
import MongoStore, { type CryptoAdapter, createWebCryptoAdapter } from 'connect-mongo'
import type { Request } from 'express'
import type { Session, SessionData } from 'express-session'
import { MongoClient } from 'mongodb'

export interface SessionStoreOptions {
  /** Encrypts every session before it is stored (AES-GCM); without it, MongoDB holds readable JSON. */
  encryptionSecret?: string
}

const ttl = 14 * 24 * 60 * 60 // seconds: how long a session lasts when its cookie sets no lifetime

/**
 * The app's connection pool to MongoDB: server.ts creates and connects it, the store uses it,
 * shutdown closes it. `timeoutMs` bounds every wait on MongoDB, so that a request gets a 503
 * instead of hanging when MongoDB is down or hung.
 */
export function createMongoClient(mongoUrl: string, timeoutMs = 1000): MongoClient {
  return new MongoClient(mongoUrl, {
    // 🐨 3. In a replica set, a write that only the primary has can be rolled back by an election: a login
    //    lost, a logout undone. Every write of the client is acknowledged only once a majority of the
    //    members has it, with a time limit MongoDB itself enforces, half the client's `timeoutMs`: then
    //    MongoDB's answer (a write concern error) comes back before the client stops listening
    //    (the lesson's "Which limit wins"), and errors.ts answers it with a 503, as an outage.

    // 🐨 4. A secondary lags behind the primary: a session read there may miss its login, or still find
    //    a logged-out one. Sessions are read from the primary, and a write cut off by an election is
    //    sent once more to the new primary, whatever MONGO_URL says about either (the lesson's "Read
    //    from the primary, retry writes").

    serverSelectionTimeoutMS: timeoutMs, // no server answers (refused, down, known to hang): give up (default 30 s)
    connectTimeoutMS: timeoutMs, // a new connection, or the monitor's check of the server, that hears nothing (default 30 s)
    socketTimeoutMS: timeoutMs, // a server that took a request and went silent (default: wait for ever)
    waitQueueTimeoutMS: timeoutMs, // waiting for a free connection, behind others stuck on a hung server (default: for ever)
    // The monitor checks the server this often; a hung one is found within this plus connectTimeoutMS.
    heartbeatFrequencyMS: Math.max(500, 2 * timeoutMs),
  })
}

export function createSessionStore(client: MongoClient, { encryptionSecret }: SessionStoreOptions = {}): MongoStore {
  // Encryption at rest: a leaked backup or a curious admin sees ciphertext, not who is logged in.
  const crypto = encryptionSecret ? createWebCryptoAdapter({ secret: encryptionSecret }) : undefined
  // `new`: connect-mongo's MongoStore.create() would build a MongoStore, not this class.
  return new FinalLogoutStore(
    {
      client, // the app's own client, connected first by server.ts (the database its URL names)
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
