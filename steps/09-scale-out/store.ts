import MongoStore, { createWebCryptoAdapter } from 'connect-mongo'
import type { SessionData } from 'express-session'
import { MongoClient } from 'mongodb'
import { guardDestroyedSocketWrites } from './driver-guard.js'

export interface SessionStoreOptions {
  /** Encrypts every session before it is stored (AES-GCM); without it, MongoDB holds readable JSON. */
  encryptionSecret?: string
}

type Callback = (error?: unknown) => void
const hour = 60 * 60 * 1000

/**
 * connect-mongo's store, with a logout that stays final. A save is an upsert: a request that was
 * still running when its session was destroyed writes the session back. So destroy() first leaves
 * a mark (`ended:<id>`, which the TTL index deletes after an hour), and a save that finds the mark
 * after writing deletes what it wrote.
 */
class FinalLogoutStore extends MongoStore {
  override destroy(sid: string, callback: Callback = () => {}): void {
    this.markEnded(sid).then(() => super.destroy(sid, callback), callback)
  }

  override set(sid: string, session: SessionData, callback: Callback = () => {}): void {
    super.set(sid, session, (error) => {
      if (error) return callback(error)
      this.isEnded(sid).then((ended) => (ended ? super.destroy(sid, callback) : callback()), callback)
    })
  }

  private async markEnded(sid: string): Promise<void> {
    const sessions = await this.collectionP
    await sessions.updateOne(
      { _id: `ended:${sid}` },
      { $set: { expires: new Date(Date.now() + hour) } },
      { upsert: true },
    )
  }

  private async isEnded(sid: string): Promise<boolean> {
    const sessions = await this.collectionP
    return (await sessions.countDocuments({ _id: `ended:${sid}` }, { limit: 1 })) > 0
  }
}

/**
 * The app's connection pool to MongoDB: server.ts creates it, the store uses it, shutdown closes it.
 * `timeoutMs` bounds every wait on MongoDB, so a request gets a 503 instead of hanging.
 */
export function createMongoClient(mongoUrl: string, timeoutMs = 1000): MongoClient {
  // Without it, a client can stay without a server after an outage (docs/driver-lost-after-outage.md).
  guardDestroyedSocketWrites()
  return new MongoClient(mongoUrl, {
    // 🐨 3. Every write acknowledged by a majority of the replica set, so that an election never
    //    rolls back a login or a logout the app already answered: a majority write concern with a
    //    time limit, a write waiting at most 5 s for the majority. Set it here, on the client: then
    //    it covers connect-mongo's saves, touches and deletes, and the logout marks, without a
    //    change to the store. The lesson's "Majority writes" says how; `npm run hint 9` if stuck.
    // 🐨 4. Read from the primary (a secondary lags: a session read there may miss its login, or
    //    outlive its logout) and use retryable writes (a write cut off by an election is sent once
    //    more, to the new primary). Both are the driver's defaults: say them here anyway, where
    //    they win over whatever MONGO_URL says. The lesson's "Read from the primary, retry writes".
    serverSelectionTimeoutMS: timeoutMs, // no server answers (refused, down, known to hang): give up (default 30 s)
    connectTimeoutMS: timeoutMs, // a new connection, or the monitor's check of the server, that hears nothing (default 30 s)
    socketTimeoutMS: timeoutMs, // a server that took a request and went silent (default: wait for ever)
    waitQueueTimeoutMS: timeoutMs, // waiting for a free connection, behind others stuck on a hung server (default: for ever)
    // The monitor checks the server this often; a hung one is found within this plus connectTimeoutMS.
    heartbeatFrequencyMS: Math.max(500, 2 * timeoutMs),
  })
}

// Where sessions live between requests and across restarts: the `sessions` collection.
export function createSessionStore(client: MongoClient, { encryptionSecret }: SessionStoreOptions = {}): MongoStore {
  return new FinalLogoutStore({
    client, // the app's own client, connected first by server.ts (connect-mongo closes it with the store)
    ttl: 14 * 24 * 60 * 60, // seconds: `expires` of a session whose cookie has no maxAge (app.ts sets one)
    autoRemove: 'native', // an index on `expires` lets MongoDB itself delete expired sessions (and the marks)
    touchAfter: 24 * 60 * 60, // seconds: an unchanged session is written back (touched) at most once a day
    // Encryption at rest: a leaked backup or a curious admin sees ciphertext, not who is logged in.
    cryptoAdapter: encryptionSecret ? createWebCryptoAdapter({ secret: encryptionSecret }) : undefined,
  })
}
