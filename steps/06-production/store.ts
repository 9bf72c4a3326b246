import MongoStore from 'connect-mongo'

// 🐨 export function createMongoClient(mongoUrl: string): MongoClient — new MongoClient(mongoUrl, { ... })
//    with serverSelectionTimeoutMS: 2000, so a request fails within 2 s (not 30) when MongoDB is down.

// Where sessions live between requests and across restarts: the `sessions` collection.
// 🐨 Take the app's client or a URL: createSessionStore(mongo: MongoClient | string,
//    { encryptionSecret }: { encryptionSecret?: string } = {}), and give MongoStore.create a client.
// 💰 client: typeof mongo === 'string' ? createMongoClient(mongo) : mongo,
export function createSessionStore(mongoUrl: string): MongoStore {
  return MongoStore.create({
    mongoUrl, // the article's connect-mongo v3 called this `url`
    ttl: 14 * 24 * 60 * 60, // 14 days, in seconds: `expires` of a session whose cookie has no maxAge
    autoRemove: 'native', // an index on `expires` lets MongoDB itself delete expired sessions
    // 🐨 touchAfter: 24 * 60 * 60 (seconds): write an unchanged session back at most once a day.
    // 🐨 With an encryptionSecret, encrypt sessions at rest:
    // 💰 cryptoAdapter: encryptionSecret ? createWebCryptoAdapter({ secret: encryptionSecret }) : undefined,
    //    (import MongoStore, { createWebCryptoAdapter } from 'connect-mongo')
  })
}
