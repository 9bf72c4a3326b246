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

// 🐨 1. Export createMongoClient(mongoUrl, timeoutMs = 1000), returning the app's one MongoClient,
//    not yet connected, on which no wait on MongoDB lasts longer than timeoutMs. A request waits in
//    four places, each with its own limit (the server selection, connection, socket and wait-queue
//    timeouts: 30 s or no limit at all by default), and a hung server takes a request and goes
//    silent, so bound all four. Have the driver check the server every 2 × timeoutMs, never below
//    500 ms (10 s by default), so a hang is noticed within seconds. Before creating the client,
//    install the guard that driver-guard.ts exports (given: a driver bug can leave a client without
//    a server after an outage). The lesson's "Every wait bounded" says how (`npm run hint 8`).
// 🐨 2. createSessionStore(client, …) takes that client instead of a URL, and connect-mongo uses
//    it rather than opening a connection of its own with the driver's defaults: one client, with
//    your limits, that server.ts connects (task 5) and connect-mongo closes with the store.

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
