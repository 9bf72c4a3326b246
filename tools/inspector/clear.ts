// The page's "Clear the sessions" button: deletes every document of the sessions collection in the
// demo's database, the one its app writes to and its page shows, and nothing else. A client of its
// own, opened per click, so the reader that polls every second stays read-only.
import { MongoClient } from 'mongodb'
import { sessionsCollection } from './reader.js'

/** Deletes the sessions of `database` at url; answers how many documents went. */
export async function clearSessions(url: string, database: string): Promise<number> {
  const client = new MongoClient(url, { appName: 'session-inspector-clear', serverSelectionTimeoutMS: 3000 })
  try {
    const { deletedCount } = await client.db(database).collection(sessionsCollection).deleteMany({})
    return deletedCount
  } finally {
    await client.close()
  }
}
