// What every check file needs: the folder under test, its modules, a database of its own.
import { createHmac, randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Express, RequestHandler } from 'express'
import type { Store } from 'express-session'
import { MongoClient, type Db } from 'mongodb'
import { afterEach, beforeEach, expect, inject } from 'vitest'
import { withDatabase } from '../../tools/lib/mongo.js'
import { rootDir } from '../../tools/lib/steps.js'
import { errorLine } from './error-line.js'

export const secret = 'workshop check secret'

/**
 * The folder a check runs against: WORKSHOP_DIR (set by `npm run check` and `npm test`), else the
 * learner's own copy of the step the check file is named after.
 */
export function workshopDir(stepName: string): string {
  const fromEnv = process.env.WORKSHOP_DIR
  if (fromEnv) return isAbsolute(fromEnv) ? fromEnv : join(rootDir, fromEnv)
  return join(rootDir, 'steps', stepName)
}

/** Shown in 🚨 messages: where the learner should look. */
export function shortDir(dir: string): string {
  return dir.startsWith(rootDir)
    ? dir
        .slice(rootDir.length + 1)
        .split('\\')
        .join('/')
    : dir
}

/** Loads one of the step's modules, or says which file is missing or broken. */
export async function loadModule<T>(dir: string, file: string): Promise<T> {
  const path = join(dir, file)
  if (!existsSync(path))
    throw new Error(`🚨 ${shortDir(path)} is missing: create it (the step's README.md says what goes in it).`)
  try {
    return (await import(pathToFileURL(path).href)) as T
  } catch (error) {
    const reason = errorLine(error instanceof Error ? error.message : String(error))
    throw new Error(`🚨 ${shortDir(path)} could not be loaded (${reason}): fix it, then check again.`)
  }
}

export interface AppOptions {
  secret: string | string[]
  store?: Store
}
export interface AppModule {
  createApp(options: AppOptions): Express
}
export interface StoreModule {
  createSessionStore(mongoUrl: string): Store & { close?: () => Promise<void> }
}

/**
 * Closes a connect-mongo store once its start-up (connect, TTL index) has settled. Closed halfway,
 * connect-mongo's index creation fails in a promise nobody handles, and the run reports an error.
 */
export async function closeStore(store: {
  close?: () => Promise<void>
  collectionP?: Promise<unknown>
}): Promise<void> {
  await store.collectionP?.catch(() => {})
  await store.close?.()
}

/** A database of its own for one check file, dropped by drop(). */
export async function checkDatabase(label: string): Promise<{ url: string; db: Db; drop(): Promise<void> }> {
  const name = `check-${label}-${randomUUID().slice(0, 8)}`
  const url = withDatabase(inject('mongoUrl'), name)
  const client = await MongoClient.connect(url)
  const db = client.db(name)
  return {
    url,
    db,
    drop: async () => {
      await db.dropDatabase().catch(() => {})
      await client.close()
    },
  }
}

/**
 * A route the checks add to the learner's app to see its session from the inside: it counts
 * visits in the session, so the session is modified and saved on every request.
 */
export const probePath = '/__check/session'
export const probe: RequestHandler = (req, res) => {
  if (!req.session) {
    res.json({ id: null })
    return
  }
  const data = req.session as unknown as { checkVisits?: number }
  data.checkVisits = (data.checkVisits ?? 0) + 1
  res.json({ id: req.sessionID, visits: data.checkVisits })
}

export function withProbe(app: Express): Express {
  app.get(probePath, probe)
  return app
}

/** The value of one cookie from a response's Set-Cookie headers, with its attributes. */
export function findCookie(setCookie: string[] | string | undefined, name: string): string | undefined {
  const all = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []
  return all.find((line) => line.startsWith(`${name}=`))
}

/** The session id inside a signed connect.sid value ("s:<id>.<signature>"), or undefined. */
export function sessionIdOf(cookieLine: string | undefined): string | undefined {
  if (!cookieLine) return undefined
  const value = decodeURIComponent(cookieLine.split(';')[0]?.split('=').slice(1).join('=') ?? '')
  const match = /^s:([^.]+)\./.exec(value)
  return match?.[1]
}

/** express-session's cookie signature (cookie-signature: HMAC-SHA256, base64 without padding). */
export function sign(value: string, key: string): string {
  return `${value}.${createHmac('sha256', key).update(value).digest('base64').replace(/=+$/, '')}`
}

/**
 * What the checks from 03 on share: before each test a database of its own; after it, every store
 * closed and the database dropped. build() gives the learner's app, with the check's probe route,
 * on the learner's store on that database.
 */
export function learnerAppOnDatabase(dir: string, label: string) {
  const where = shortDir(dir)
  const stores: Array<Parameters<typeof closeStore>[0]> = []
  const check = {
    database: undefined as unknown as Awaited<ReturnType<typeof checkDatabase>>,
    async build(): Promise<Express> {
      const { createApp } = await loadModule<AppModule>(dir, 'app.ts')
      const { createSessionStore } = await loadModule<StoreModule>(dir, 'store.ts')
      let store: ReturnType<StoreModule['createSessionStore']>
      try {
        store = createSessionStore(check.database.url)
      } catch (error) {
        throw new Error(`🚨 createSessionStore() in ${where}/store.ts threw: ${(error as Error).message}`)
      }
      stores.push(store)
      expect(
        store.close,
        `🚨 createSessionStore() should return MongoStore.create({ ... }) from connect-mongo (${where}/store.ts).`,
      ).toBeTypeOf('function')
      return withProbe(createApp({ secret, store }))
    },
  }
  beforeEach(async () => {
    check.database = await checkDatabase(label)
  })
  afterEach(async () => {
    await Promise.all(stores.splice(0).map(closeStore))
    await check.database.drop()
  })
  return check
}
