import MongoStore, { createWebCryptoAdapter } from 'connect-mongo'
import type { SessionData } from 'express-session'

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

// 🐨 1. Export createMongoClient(mongoUrl, timeoutMs = 1000), returning a new MongoClient whose
//    every wait on MongoDB is bounded by timeoutMs: finding a server (serverSelectionTimeoutMS, 30 s
//    by default), opening a connection or checking the server (connectTimeoutMS), each answer on an
//    open connection (socketTimeoutMS: a hung server took the request and went silent), and the
//    wait for a free connection (waitQueueTimeoutMS). Check the server often enough to notice a hung
//    one soon: heartbeatFrequencyMS, twice timeoutMs (at least 500). Before creating it, call
//    guardDestroyedSocketWrites() from driver-guard.ts (given: a workaround for a driver bug).
// 🐨 2. createSessionStore takes that client instead of a URL: MongoStore.create({ client, … }).
//    server.ts creates and connects it; connect-mongo closes it with the store.

// Where sessions live between requests and across restarts: the `sessions` collection.
export function createSessionStore(mongoUrl: string, { encryptionSecret }: SessionStoreOptions = {}): MongoStore {
  return new FinalLogoutStore({
    mongoUrl, // the article's connect-mongo v3 called this `url`
    ttl: 14 * 24 * 60 * 60, // seconds: `expires` of a session whose cookie has no maxAge (app.ts sets one)
    autoRemove: 'native', // an index on `expires` lets MongoDB itself delete expired sessions (and the marks)
    touchAfter: 24 * 60 * 60, // seconds: an unchanged session is written back (touched) at most once a day
    // Encryption at rest: a leaked backup or a curious admin sees ciphertext, not who is logged in.
    cryptoAdapter: encryptionSecret ? createWebCryptoAdapter({ secret: encryptionSecret }) : undefined,
  })
}
