import MongoStore from 'connect-mongo'

// 🐨 4. A logout that stays final. A save is an upsert: a request that was still running when its
//    session was destroyed writes the session back, and the old cookie works again. Extend
//    MongoStore in a class of your own whose destroy(sid, callback) first leaves a mark, a document
//    { _id: `ended:${sid}`, expires: an hour from now } in the same collection (the TTL index
//    deletes it later; this.collectionP is the collection), and then destroys as before. Build the
//    store with `new YourStore({ … })` instead of MongoStore.create(), passing the options inline
//    (connect-mongo does not export their type; ConstructorParameters<typeof MongoStore>[0] names it).
// 🐨 5. And whose set(sid, session, callback) saves as before, then looks for that mark: a save
//    that finds it deletes what it just wrote.

// Where sessions live between requests and across restarts: the `sessions` collection.
export function createSessionStore(mongoUrl: string): MongoStore {
  return MongoStore.create({
    mongoUrl, // the article's connect-mongo v3 called this `url`
    ttl: 14 * 24 * 60 * 60, // 14 days, in seconds: `expires` of a session whose cookie has no maxAge
    // 🐨 2. touchAfter, in seconds (e.g. a day): an unchanged session is written back (touched) at most
    //    that often, instead of on every request of a logged-in visitor.
    // 🐨 3. cryptoAdapter: createWebCryptoAdapter({ secret }) from connect-mongo when
    //    createSessionStore(mongoUrl, { encryptionSecret }) gets a secret: a backup or a curious
    //    admin then sees ciphertext, not who is logged in.
    autoRemove: 'native', // an index on `expires` lets MongoDB itself delete expired sessions
  })
}
