import MongoStore, { createWebCryptoAdapter } from 'connect-mongo'
import { MongoClient } from 'mongodb'

/** The app's connection pool to MongoDB: server.ts creates it, the store uses it, shutdown closes it. */
export function createMongoClient(mongoUrl: string): MongoClient {
  return new MongoClient(mongoUrl, {
    // When MongoDB is down, give up after 2 s (the default is 30 s): the request gets a 503 at once
    // instead of hanging, and the next request tries again.
    serverSelectionTimeoutMS: 2000,
  })
}

export interface SessionStoreOptions {
  /** Encrypts every session before it is stored (AES-GCM); without it, MongoDB holds readable JSON. */
  encryptionSecret?: string
}

// Where sessions live between requests and across restarts: the `sessions` collection.
// `mongo` is the app's MongoClient (server.ts), or a URL for a store with a client of its own.
export function createSessionStore(
  mongo: MongoClient | string,
  { encryptionSecret }: SessionStoreOptions = {},
): MongoStore {
  return MongoStore.create({
    client: typeof mongo === 'string' ? createMongoClient(mongo) : mongo,
    ttl: 14 * 24 * 60 * 60, // seconds: `expires` of a session whose cookie has no maxAge (app.ts sets one)
    autoRemove: 'native', // an index on `expires` lets MongoDB itself delete expired sessions
    touchAfter: 24 * 60 * 60, // seconds: an unchanged session is written back (touched) at most once a day
    // Encryption at rest: a leaked backup or a curious admin sees ciphertext, not who is logged in.
    cryptoAdapter: encryptionSecret ? createWebCryptoAdapter({ secret: encryptionSecret }) : undefined,
  })
}
