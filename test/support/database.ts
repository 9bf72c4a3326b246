// The checks' own view of MongoDB: one connection per check file (a far-away MongoDB costs round
// trips for every new one), a database of its own for each test, named at once and created only
// when something writes to it, dropped after the test.
import { randomUUID } from 'node:crypto'
import type { Db, MongoClient } from 'mongodb'
import { withDatabase } from '../../tools/lib/mongo.js'
import { failSlow } from './check.js'
import { measurePace, remedy, tooFarMongoMs, trackMongo } from './pace.js'

export interface SessionDocument {
  _id: string
  session: unknown
  expires?: Date
  lastModified?: Date
}

export interface CheckDatabase {
  /** A connection string naming the database. */
  url: string
  name: string
  db: Db
  /** The session documents of the `sessions` collection (not the marks a store may keep beside them). */
  sessions(): Promise<SessionDocument[]>
  /** One session document by id, its `session` parsed when it is a JSON string. */
  stored(id: string | undefined): Promise<Record<string, unknown> | undefined>
  drop(): Promise<void>
}

let shared: { url: string; client: MongoClient } | undefined
/** The last verdict "too far" of this worker: the next check files say it again without measuring. */
let tooFar: { url: string; sentence: string; at: number } | undefined

/**
 * Opens the check file's connection to the MongoDB at url (once; a check file opens it before its
 * checks run), measuring the machine's and MongoDB's pace: a MongoDB too far away to judge the
 * code fairly is said at once, in a sentence that blames no code.
 */
export async function openCheckClient(url: string): Promise<MongoClient> {
  if (tooFar?.url === url && Date.now() - tooFar.at < 60_000) failSlow(tooFar.sentence)
  if (shared?.url === url) return shared.client
  await closeCheckClient()
  // Loaded here, not at the top: checks 1 and 2 need no database, and start without the driver.
  const { MongoClient } = await import('mongodb')
  const client = await MongoClient.connect(url)
  shared = { url, client }
  trackMongo(client)
  const measured = await measurePace()
  if (measured.mongoMs > tooFarMongoMs) {
    const about = Math.round(measured.mongoMs / 50) * 50
    const sentence = `MongoDB answers a ping in about ${about} ms here, too slow for the checks to judge your code fairly (they would wait minutes): use ${remedy(measured)}, then check again.`
    tooFar = { url, sentence, at: Date.now() }
    failSlow(sentence)
  }
  return client
}

/** Closes the check file's connection (each check file closes its own when it ends). */
export async function closeCheckClient(): Promise<void> {
  const closing = shared
  shared = undefined
  trackMongo(undefined)
  await closing?.client.close().catch(() => {})
}

/** A database of its own for one check, on the check file's connection; drop() drops it. */
export function checkDatabase(label: string): CheckDatabase {
  if (!shared) throw new Error('the check file has no MongoDB connection: openCheckClient(url) first')
  const { url, client } = shared
  const name = `check-${label}-${randomUUID().slice(0, 8)}`
  const db = client.db(name)
  const collection = () => db.collection<SessionDocument>('sessions')
  return {
    url: withDatabase(url, name),
    name,
    db,
    // Every document: connect-mongo's collection holds sessions only, and a check that counts
    // sessions counts anything else a step's code stores there too.
    sessions: () => collection().find().toArray(),
    stored: async (id) => {
      const document = await collection().findOne({ _id: id ?? '' })
      if (!document) return undefined
      const { session } = document
      if (typeof session !== 'string') return session as Record<string, unknown>
      try {
        return JSON.parse(session) as Record<string, unknown>
      } catch {
        return { encrypted: session }
      }
    },
    drop: async () => {
      await db.dropDatabase().catch(() => {})
    },
  }
}

/**
 * Closes a connect-mongo store once its start-up (connect, TTL index) has settled. Closed halfway,
 * connect-mongo's index creation fails in a promise nobody handles.
 */
export async function closeStore(store: {
  close?: () => Promise<unknown>
  collectionP?: Promise<unknown>
}): Promise<void> {
  await store.collectionP?.catch(() => {})
  await store.close?.()
}
