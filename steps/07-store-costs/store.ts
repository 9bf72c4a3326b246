// Where sessions live between requests and across restarts: MongoDB's `sessions` collection.
import MongoStore from 'connect-mongo'

// 🐨 2. A read that changes nothing should write nothing. express-session asks the store to "touch"
//    an unchanged session on every request, to move its expiry, and connect-mongo writes every
//    touch to MongoDB. Let an unchanged session be written back at most once a day (the lesson's
//    "touchAfter: reads that write nothing").

// 🐨 3. Whoever reads the database, a backup or a dump reads every session. Given a secret, the store
//    encrypts each session before it reaches MongoDB and decrypts it after a read:
//    `createSessionStore` takes a second, optional argument, `{ encryptionSecret }`. config.ts
//    reads SESSION_ENCRYPTION_KEY as `encryptionKey` (unset or empty: no encryption) and, in
//    production, holds it to the rules of the secrets; server.ts hands it to the store.

// 🐨 4. connect-mongo saves a session with an upsert: a request that read the session before a logout
//    and saves it after the logout brings it back (the lesson's "A logout that stays final").
//    createSessionStore builds a class of your own that extends MongoStore: a session that came
//    from MongoDB (express-session builds it through the store's `createSession`) is saved with an
//    update, which cannot create it again; only a new session is inserted; and a session saved
//    again unchanged costs no write. The collection keeps nothing but sessions.
export function createSessionStore(mongoUrl: string): MongoStore {
  return MongoStore.create({
    mongoUrl, // the database the URL names keeps the sessions
    ttl: 14 * 24 * 60 * 60, // seconds: how long a session lasts when its cookie sets no lifetime
    autoRemove: 'native', // a TTL index on `expires`: MongoDB deletes expired sessions by itself
  })
}
