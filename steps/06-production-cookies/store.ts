import MongoStore from 'connect-mongo'

// Where sessions live between requests and across restarts: the `sessions` collection.
export function createSessionStore(mongoUrl: string): MongoStore {
  return MongoStore.create({
    mongoUrl, // the article's connect-mongo v3 called this `url`
    ttl: 14 * 24 * 60 * 60, // 14 days, in seconds: `expires` of a session whose cookie has no maxAge
    autoRemove: 'native', // an index on `expires` lets MongoDB itself delete expired sessions
  })
}
