import MongoStore from 'connect-mongo'

// 🐨 4. A logout that stays final. A save is an upsert: a request that was still running when its
//    session was destroyed writes the session back, and the old cookie works again. The store
//    becomes a class of your own, built on connect-mongo's, whose destroy first leaves a mark: a
//    document whose _id is `ended:<id>` (the session's id), in the same collection, expiring an
//    hour from now (the TTL index deletes it then). Only once the mark is written does it destroy
//    the session as before. createSessionStore must build its store from your class, or nothing
//    changes (connect-mongo exports no name for the options' type: keep them inline).
// 🐨 5. And whose save keeps working as before, then, only after its write, looks for that mark: a
//    save that finds it came too late, and deletes what it just wrote, so the logged-out session
//    stays gone. Why the look must follow the write: the lesson's "A logout that stays final".

// Where sessions live between requests and across restarts: the `sessions` collection.
export function createSessionStore(mongoUrl: string): MongoStore {
  return MongoStore.create({
    mongoUrl, // the article's connect-mongo v3 called this `url`
    ttl: 14 * 24 * 60 * 60, // 14 days, in seconds: `expires` of a session whose cookie has no maxAge
    // 🐨 2. touchAfter: a logged-in visitor who only reads (GET /me) should cost MongoDB no write.
    //    An unchanged session is written back (touched) at most once a day, not on every request;
    //    a session that changes (GET /visits) is still saved at once.
    // 🐨 3. Encryption at rest: createSessionStore(mongoUrl, { encryptionSecret }), the second
    //    argument optional. Given a secret, the store encrypts each session's data with it before
    //    it reaches MongoDB, and reads it back as before: a backup or a curious admin then sees
    //    ciphertext, not who is logged in. Without one, sessions stay readable JSON, as before.
    autoRemove: 'native', // an index on `expires` lets MongoDB itself delete expired sessions
  })
}
