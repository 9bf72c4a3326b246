// Where sessions live between requests and across restarts: MongoDB's `sessions` collection.
import MongoStore from 'connect-mongo'

export function createSessionStore(mongoUrl: string): MongoStore {
  return MongoStore.create({
    mongoUrl, // the database the URL names keeps the sessions
    ttl: 14 * 24 * 60 * 60, // seconds: how long a session lasts when its cookie sets no lifetime
    autoRemove: 'native', // a TTL index on `expires`: MongoDB deletes expired sessions by itself
  })
}
