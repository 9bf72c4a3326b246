// What every check file needs: the folder under test, its modules, a database of its own, and
// failures that speak one 🚨 sentence a learner can act on (never a matcher's own text).
import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { MongoClient, type Db } from 'mongodb'
import { afterEach, beforeEach, inject } from 'vitest'
import { withDatabase } from '../../tools/lib/mongo.js'
import { display, listSteps, rootDir } from '../../tools/lib/steps.js'
import { crashLine } from './error-line.js'

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUrl: string
    /** The folder under test, relative to the workshop's root or absolute (set per project). */
    workshopDir: string
    /** Only the first failure of each check file matters (the mistake catalogue): skip the rest. */
    firstFailureOnly?: boolean
  }
}

/** The session secret the checks give the learner's code: long enough for production rules too. */
export const secret = 'the workshop checks sign with this secret, 40+ chars'

/** A failed check. Its message is exactly the sentence the learner sees. */
export class CheckFailure extends Error {
  override name = 'CheckFailure'
}

/** Fails the check with one sentence: what is wrong, what to change, where. */
export function fail(sentence: string): never {
  throw new CheckFailure(sentence.startsWith('🚨') ? sentence : `🚨 ${sentence}`)
}

/** Fails with the sentence unless the condition holds. */
export function must(condition: unknown, sentence: string): asserts condition {
  if (!condition) fail(sentence)
}

/**
 * The folder a check runs against: the project's `workshopDir` (npm run check, npm test), else
 * WORKSHOP_DIR, else the learner's own copy of the step the check file is named after.
 */
export function workshopDir(stepName: string): string {
  const given = safeInject('workshopDir') || process.env.WORKSHOP_DIR
  if (given) return isAbsolute(given) ? given : join(rootDir, given)
  return join(rootDir, 'steps', stepName)
}

function safeInject<K extends 'workshopDir' | 'mongoUrl' | 'firstFailureOnly'>(key: K) {
  try {
    return inject(key)
  } catch {
    return undefined
  }
}

/** The folder under test, and how the 🚨 sentences name it. */
export interface CheckedStep {
  dir: string
  /** "steps/03-mongo-store": where the learner should look. */
  where: string
  /** Loads one of its modules, or fails with a sentence saying which file is missing, stuck or broken. */
  load<T>(file: string): Promise<T>
  /** Its config.ts's readConfig(env), or a sentence saying config.ts should export it (`what`: how to describe it). */
  readConfig<C>(what?: string): Promise<(env: NodeJS.ProcessEnv) => C>
}

export function checkedStep(stepName: string): CheckedStep {
  const dir = workshopDir(stepName)
  if (safeInject('firstFailureOnly')) skipAfterFirstFailure()
  return stepAt(dir)
}

/** The folder as a CheckedStep (`where`: how the sentences name it). */
export function stepAt(dir: string, where = display(dir)): CheckedStep {
  return {
    dir,
    where,
    load: (file) => loadModule(dir, file),
    readConfig: async <C>(what = 'readConfig(env)') =>
      exported<(env: NodeJS.ProcessEnv) => C>(
        await loadModule<Record<string, unknown>>(dir, 'config.ts'),
        'readConfig',
        `${where}/config.ts`,
        what,
      ),
  }
}

/** What run() throws, as its message; '' when it does not throw (the checks of settings refused). */
export function thrownBy(run: () => unknown): string {
  try {
    run()
    return ''
  } catch (error) {
    return (error as Error).message ?? String(error)
  }
}

/** When only the first 🚨 matters, the checks after a failed one are skipped: they cost time for nothing. */
function skipAfterFirstFailure(): void {
  let failed = false
  beforeEach((context) => {
    if (failed) context.skip()
  })
  afterEach((context) => {
    if (context.task.result?.state === 'fail') failed = true
  })
}

/** How long a module may take to load before the check says it is stuck. */
export const loadTimeoutMs = 3000
const stuck = new Set<string>()

/** Loads one of the step's modules, or says which file is missing, never finishes loading, or crashes. */
export async function loadModule<T>(dir: string, file: string): Promise<T> {
  const path = join(dir, file)
  const where = display(path)
  if (!existsSync(path)) fail(`${where} is missing: create it (the step's README.md says what goes in it).`)
  const stuckSentence = `${where} did not finish loading within ${loadTimeoutMs / 1000} s: something at its top level waits for ever (an await that never settles?), or a module it imports does. Make it finish, then check again.`
  // Once stuck, always stuck in this worker: the import stays pending, so say it at once.
  if (stuck.has(path)) fail(stuckSentence)
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<'stuck'>((resolve) => {
    timer = setTimeout(() => resolve('stuck'), loadTimeoutMs)
  })
  try {
    const loaded = await Promise.race([import(pathToFileURL(path).href), timeout])
    if (loaded === 'stuck') {
      stuck.add(path)
      fail(stuckSentence)
    }
    return loaded as T
  } catch (error) {
    if (error instanceof CheckFailure) throw error
    fail(`${where} crashed while loading: ${crashLine(error, dir)}. Fix it, then check again.`)
  } finally {
    clearTimeout(timer)
  }
}

/** A named export of the learner's module that must be a function, or a sentence saying so. */
export function exported<F>(module: Record<string, unknown>, name: string, file: string, what: string): F {
  const value = module[name]
  must(typeof value === 'function', `${file} should export ${what}.`)
  return value as F
}

/** Runs the learner's code, turning what it throws into a sentence naming the function. */
export async function calling<T>(what: string, run: () => T | Promise<T>, timeoutMs = 10_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([
      Promise.resolve().then(run),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new CheckFailure(`🚨 ${what} did not finish within ${timeoutMs / 1000} s.`)),
          timeoutMs,
        )
      }),
    ])
  } catch (error) {
    if (error instanceof CheckFailure) throw error
    fail(`${what} threw: ${crashLine(error)}.`)
  } finally {
    clearTimeout(timer)
  }
}

/** The MongoDB the run uses: provided by the runner, else MONGO_URL. */
export function mongoUrl(): string {
  const url = safeInject('mongoUrl') || process.env.MONGO_URL
  if (!url) throw new Error('no MongoDB for the checks: run them with npm run check N (it finds one)')
  return url
}

export interface CheckDatabase {
  /** A connection string naming the database. */
  url: string
  name: string
  db: Db
  /** The session documents (not the marks a store may keep beside them). */
  sessions(): Promise<Array<{ _id: string; session: unknown; expires?: Date; lastModified?: Date }>>
  /** One session document by id, its `session` parsed when it is a JSON string. */
  stored(id: string | undefined): Promise<Record<string, unknown> | undefined>
  drop(): Promise<void>
}

/** A database of its own for one check, dropped by drop(). */
export async function checkDatabase(label: string): Promise<CheckDatabase> {
  const name = `check-${label}-${randomUUID().slice(0, 8)}`
  const url = withDatabase(mongoUrl(), name)
  const client = await MongoClient.connect(url)
  const db = client.db(name)
  const collection = () =>
    db.collection<{ _id: string; session: unknown; expires?: Date; lastModified?: Date }>('sessions')
  return {
    url,
    name,
    db,
    sessions: () =>
      collection()
        .find({ session: { $exists: true } })
        .toArray(),
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
      await client.close()
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

/** Waits until check() is true, every intervalMs, at most timeoutMs; resolves with whether it became true. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  intervalMs = 25,
): Promise<boolean> {
  const until = Date.now() + timeoutMs
  for (;;) {
    if (await check()) return true
    if (Date.now() >= until) return false
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}

export type ClosableStore = import('express-session').Store & {
  close?: () => Promise<unknown>
  collectionP?: Promise<unknown>
}

/**
 * The learner's store on a database, built the way their server.ts builds it: from step 08 on,
 * createSessionStore() takes the app's MongoClient (from createMongoClient); before, a URL.
 */
export async function learnerStore(
  step: CheckedStep,
  url: string,
  options?: { encryptionSecret?: string },
): Promise<ClosableStore> {
  const module = await step.load<Record<string, unknown>>('store.ts')
  const create = exported<(mongo: unknown, options?: { encryptionSecret?: string }) => ClosableStore>(
    module,
    'createSessionStore',
    `${step.where}/store.ts`,
    'createSessionStore(mongoUrl), which returns MongoStore.create({ … })',
  )
  const createClient = module.createMongoClient
  const mongo = typeof createClient === 'function' ? createClient(url) : url
  const store = await calling(`createSessionStore() in ${step.where}/store.ts`, () => create(mongo, options))
  must(
    store && typeof store.get === 'function' && typeof store.close === 'function',
    `createSessionStore() should return the store MongoStore.create({ … }) builds, from connect-mongo (${step.where}/store.ts).`,
  )
  return store
}

/**
 * What most checks need in each test: a database of its own (`database` always stands for the
 * running test's, and it is dropped after the test), the learner's stores on it (closed after the
 * test), and the learner's createApp from app.ts.
 */
export function checkFixtures(step: CheckedStep, label: string) {
  let current: CheckDatabase | undefined
  const stores: ClosableStore[] = []
  const cleanups: Array<() => Promise<unknown>> = []
  beforeEach(async () => {
    current = await checkDatabase(label)
  })
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {})
    await Promise.all(stores.splice(0).map(closeStore))
    await current?.drop()
  })
  const now = (): CheckDatabase => {
    if (!current) throw new Error('a check database exists only while a test runs')
    return current
  }
  const database: CheckDatabase = {
    get url() {
      return now().url
    },
    get name() {
      return now().name
    },
    get db() {
      return now().db
    },
    sessions: () => now().sessions(),
    stored: (id) => now().stored(id),
    drop: () => now().drop(),
  }
  return {
    database,
    /** Runs after the test, before the database is dropped; the last one given runs first. */
    cleanup(task: () => Promise<unknown>): void {
      cleanups.push(task)
    },
    /** From step 08: createMongoClient and createSessionStore(client) from the learner's store.ts. */
    async clientStore(): Promise<{
      createMongoClient: (mongoUrl: string, timeoutMs?: number) => MongoClient
      createSessionStore: (client: MongoClient, options?: { encryptionSecret?: string }) => ClosableStore
    }> {
      const module = await step.load<Record<string, unknown>>('store.ts')
      return {
        createMongoClient: exported(
          module,
          'createMongoClient',
          `${step.where}/store.ts`,
          'createMongoClient(mongoUrl, timeoutMs), which returns a new MongoClient (step 08)',
        ),
        createSessionStore: exported(
          module,
          'createSessionStore',
          `${step.where}/store.ts`,
          'createSessionStore(client, { encryptionSecret }) (step 08)',
        ),
      }
    },
    /** The learner's store on this test's database (createSessionStore), closed after the test. */
    async store(options?: { encryptionSecret?: string }): Promise<ClosableStore> {
      const built = await learnerStore(step, now().url, options)
      stores.push(built)
      return built
    },
    /** createApp from the learner's app.ts, typed with the options this check passes. */
    async createApp<Options>(): Promise<(options: Options) => import('express').Express> {
      const module = await step.load<Record<string, unknown>>('app.ts')
      return exported<(options: Options) => import('express').Express>(
        module,
        'createApp',
        `${step.where}/app.ts`,
        'createApp(options)',
      )
    },
  }
}

/** The last step's finished solution, as the tests of the finished server (test/load/) use it. */
export function finishedStep(): CheckedStep & { name: string } {
  const last = listSteps().at(-1)
  if (!last) throw new Error('no steps found')
  return { name: last.name, ...stepAt(last.solutionDir, `solutions/${last.name}`) }
}

export interface InProcessApp {
  /** http://127.0.0.1:<port> */
  base: string
  store: ClosableStore
  /** Cuts every connection, closes the server, then the store. */
  close(): Promise<void>
}

/** A step's app on its own store at mongoUrl, listening on a free port of 127.0.0.1 in this process. */
export async function listeningApp(
  step: CheckedStep,
  mongoUrl: string,
  options: { articleRoutes?: boolean } = {},
): Promise<InProcessApp> {
  const { createApp } = await step.load<{
    createApp(options: { secret: string; store: ClosableStore; articleRoutes?: boolean }): import('express').Express
  }>('app.ts')
  const store = await learnerStore(step, mongoUrl)
  const app = createApp({ secret, store, ...options })
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening))
  })
  const { port } = server.address() as import('node:net').AddressInfo
  return {
    base: `http://127.0.0.1:${port}`,
    store,
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
      await closeStore(store)
    },
  }
}
