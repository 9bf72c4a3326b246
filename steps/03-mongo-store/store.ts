import type MongoStore from 'connect-mongo'

// Where sessions live between requests and across restarts: the `sessions` collection.
export function createSessionStore(mongoUrl: string): MongoStore {
  // 🐨 Build the store with connect-mongo's factory (the article's `new MongoStore({ url })` is the
  //    v3 API and no longer works):
  //    - mongoUrl: where MongoDB is (v3 called it `url`),
  //    - ttl: 14 days, in seconds,
  //    - autoRemove: 'native', so an index on `expires` lets MongoDB delete expired sessions.
  // 💰 import MongoStore from 'connect-mongo' (a value import, not `import type`), then
  //    return MongoStore.create({ mongoUrl, ttl: 14 * 24 * 60 * 60, autoRemove: 'native' })
  throw new Error(`not written yet: build the store for ${mongoUrl} in store.ts`)
}
