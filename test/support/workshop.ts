// What every check file needs: the folder under test and what its step offers (steps.json), its
// modules, a database of its own per test, its type-check, and the learner's store and app.
import { existsSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, afterEach, beforeAll, beforeEach, describe, inject, it } from 'vitest'
import { typeCheck } from '../../tools/lib/check-reporter.js'
import { type Contract, display, listSteps, rootDir, type Step, stepOfFolder } from '../../tools/lib/steps.js'
import { CheckFailure, fail, must } from './check.js'
import { type CheckDatabase, checkDatabase, closeCheckClient, closeStore, openCheckClient } from './database.js'
import { crashLine } from './error-line.js'
import { limit, measurePace } from './pace.js'
import { typeErrors, typeSentence } from './typecheck.js'

export { CheckFailure, fail, must, note, thrownBy, waitFor } from './check.js'
export { type CheckDatabase, checkDatabase, closeStore } from './database.js'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The MongoDB of the run ('' when the folder under test keeps no sessions in MongoDB). */
    mongoUrl: string
    /** The folder under test, relative to the workshop's root or absolute (set per project). */
    workshopDir: string
    /** The step whose code that folder holds (its name, "03-mongo-store"): what it offers the checks. */
    stepUnderTest?: string
    /** Only the first failure of each check file matters (the mistake catalogue): skip the rest. */
    firstFailureOnly?: boolean
    /** The folder's type-check, already done by the caller: its 🚨 sentences ([] when it type-checks). */
    typeSentences?: string[]
  }
}

/** The session secret the checks give the learner's code: long enough for production rules too. */
export const secret = 'the workshop checks sign with this secret, 40+ chars'

function safeInject<K extends 'workshopDir' | 'mongoUrl' | 'firstFailureOnly' | 'stepUnderTest' | 'typeSentences'>(
  key: K,
) {
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
  /** What the folder's code offers (from steps.json): a database, the shape of createSessionStore(). */
  contract: Contract
  /** Loads one of its modules, or fails with a sentence saying which file is missing, stuck or broken. */
  load<T>(file: string): Promise<T>
  /** Its config.ts's readConfig(env), or a sentence saying config.ts should export it (`what`: how to describe it). */
  readConfig<C>(what?: string): Promise<(env: NodeJS.ProcessEnv) => C>
}

/**
 * The folder a check file runs against, set up: the project's `workshopDir` (npm run check, npm
 * test), else WORKSHOP_DIR, else the learner's own copy of the check's step. Call it once, at the
 * top of the check file: it measures the machine before the checks, closes the file's connection
 * to MongoDB after them, and type-checks the folder when this check is the folder's own.
 */
export function checkedStep(checkName: string): CheckedStep {
  const given = safeInject('workshopDir') || process.env.WORKSHOP_DIR
  const dir = given ? (isAbsolute(given) ? given : join(rootDir, given)) : join(rootDir, 'steps', checkName)
  const steps = listSteps()
  const held =
    steps.find((step) => step.name === safeInject('stepUnderTest')) ??
    stepOfFolder(dir, steps) ??
    steps.find((step) => step.name === checkName)
  if (safeInject('firstFailureOnly')) skipAfterFirstFailure()
  const step = stepAt(dir, held)
  beforeAll(async () => {
    if (step.contract.database) await openCheckClient(mongoUrl())
    else await measurePace()
  })
  afterAll(closeCheckClient)
  if (held?.name === checkName) typeChecks(step)
  return step
}

/** The folder as a CheckedStep holding the given step's code (`where`: how the sentences name it). */
export function stepAt(dir: string, held?: Step, where = display(dir)): CheckedStep {
  return {
    dir,
    where,
    contract: held?.contract ?? { database: false, store: 'none' },
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

/**
 * The folder's type-check, as the last check of its own check file (the compiler starts at once,
 * beside the other checks); every error is a 🚨 with its file:line, reported before other failures.
 */
function typeChecks(step: CheckedStep): void {
  const done = safeInject('typeSentences')
  const sentences = done ? Promise.resolve(done) : typeErrors(step.dir).then((errors) => errors.map(typeSentence))
  // Registered once the check file's own checks are: it comes last, its compiler already at work.
  queueMicrotask(() =>
    describe(typeCheck.suite, () => {
      it(typeCheck.test, async () => {
        const found = await sentences
        if (found.length > 0) throw new CheckFailure(found.join('\n'))
      })
    }),
  )
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

/** How long a module may take to load, on a quiet machine, before the check says it is stuck. */
const loadBaseMs = 3000
const stuck = new Set<string>()

/** Loads one of the step's modules, or says which file is missing, never finishes loading, or crashes. */
export async function loadModule<T>(dir: string, file: string): Promise<T> {
  const path = join(dir, file)
  const where = display(path)
  if (!existsSync(path)) fail(`${where} is missing: create it (the step's README.md says what goes in it).`)
  const waitMs = limit(loadBaseMs)
  const stuckSentence = `${where} did not finish loading within ${Math.round(waitMs / 1000)} s: something at its top level waits for ever (an await that never settles?), or a module it imports does. Make it finish, then check again.`
  // Once stuck, always stuck in this worker: the import stays pending, so say it at once.
  if (stuck.has(path)) fail(stuckSentence)
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<'stuck'>((resolve) => {
    timer = setTimeout(() => resolve('stuck'), waitMs)
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
export async function calling<T>(what: string, run: () => T | Promise<T>, baseMs = 10_000): Promise<T> {
  const waitMs = limit(baseMs, 10)
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([
      Promise.resolve().then(run),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new CheckFailure(`🚨 ${what} did not finish within ${Math.round(waitMs / 1000)} s.`)),
          waitMs,
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

/** The MongoDB of the run: provided by the runner, else MONGO_URL. */
export function mongoUrl(): string {
  const url = safeInject('mongoUrl') || process.env.MONGO_URL
  if (!url) throw new Error('no MongoDB for the checks: run them with npm run check N (it finds one)')
  return url
}

export type ClosableStore = import('express-session').Store & {
  close?: () => Promise<unknown>
  collectionP?: Promise<unknown>
}

type CreateMongoClient = (mongoUrl: string, timeoutMs?: number) => import('mongodb').MongoClient
type CreateSessionStore = (mongo: unknown, options?: { encryptionSecret?: string }) => ClosableStore

/**
 * The learner's store on a database, built the way their server.ts builds it: createSessionStore()
 * takes what steps.json says (a URL, or the MongoClient that createMongoClient() builds).
 */
export async function learnerStore(
  step: CheckedStep,
  url: string,
  options?: { encryptionSecret?: string },
): Promise<ClosableStore> {
  const takesClient = step.contract.store === 'client'
  const { createSessionStore, createMongoClient } = await storeModule(step)
  const mongo = takesClient
    ? await calling(`createMongoClient() in ${step.where}/store.ts`, () => createMongoClient(url))
    : url
  const store = await calling(`createSessionStore() in ${step.where}/store.ts`, () =>
    createSessionStore(mongo, options),
  )
  must(
    store && typeof store.get === 'function' && typeof store.close === 'function',
    `createSessionStore() should return the store connect-mongo's MongoStore.create() builds (${step.where}/store.ts).`,
  )
  if (takesClient) await usesClient(step, store)
  return store
}

/**
 * A store handed the app's MongoClient must use it: a store still built from a URL fails on the
 * client (connect-mongo reads it as a connection string), and every check after would blame
 * something else.
 */
export async function usesClient(step: CheckedStep, store: ClosableStore): Promise<void> {
  let broken = ''
  await store.collectionP?.catch((error: Error) => {
    broken = error.message.split('\n')[0] ?? String(error)
  })
  must(
    broken === '' || /ECONNREFUSED|timed out|Server selection/i.test(broken),
    `createSessionStore(client) in ${step.where}/store.ts could not use the MongoClient it was given (${broken}): hand connect-mongo the client (its \`client\` option), no longer a URL.`,
  )
}

/** createSessionStore (and, where the store takes a client, createMongoClient) from the learner's store.ts. */
export async function storeModule(
  step: CheckedStep,
): Promise<{ createSessionStore: CreateSessionStore; createMongoClient: CreateMongoClient }> {
  const module = await step.load<Record<string, unknown>>('store.ts')
  const file = `${step.where}/store.ts`
  const takesClient = step.contract.store === 'client'
  return {
    createSessionStore: exported(
      module,
      'createSessionStore',
      file,
      takesClient ? 'createSessionStore(client, { encryptionSecret })' : 'createSessionStore(mongoUrl)',
    ),
    createMongoClient: takesClient
      ? exported(
          module,
          'createMongoClient',
          file,
          'createMongoClient(mongoUrl, timeoutMs), which returns a MongoClient',
        )
      : () => fail(`${file} takes a MongoDB URL at this step, not a client.`),
  }
}

/**
 * Counts the calls a store has not answered yet, so that a check can wait for work a handler goes
 * on with after it answered (a save that lands after the response) before it looks in MongoDB.
 */
function trackStore(store: ClosableStore, pending: { count: number }): void {
  for (const name of ['get', 'set', 'destroy', 'touch'] as const) {
    const original = store[name] as ((...args: unknown[]) => unknown) | undefined
    if (typeof original !== 'function') continue
    Object.assign(store, {
      [name](this: ClosableStore, ...args: unknown[]) {
        pending.count++
        let done = false
        const finish = () => {
          if (!done) pending.count--
          done = true
        }
        const callback = args.at(-1)
        if (typeof callback === 'function') {
          // Counted until the callback returns: what it starts (regenerate() → save()) counts first.
          args[args.length - 1] = (...results: unknown[]) => {
            try {
              return callback(...results)
            } finally {
              finish()
            }
          }
        }
        try {
          const result = original.apply(this, args)
          if (typeof callback !== 'function') finish()
          return result
        } catch (error) {
          finish()
          throw error
        }
      },
    })
  }
}

/**
 * What most checks need in each test: a database of its own (`database` always stands for the
 * running test's; all of them are dropped when the check file ends) when the folder keeps sessions in MongoDB, the
 * learner's stores on it (closed after the test), and the learner's createApp from app.ts.
 */
export function checkFixtures(step: CheckedStep, label: string) {
  let current: CheckDatabase | undefined
  const pending = { count: 0 }
  const stores: ClosableStore[] = []
  const cleanups: Array<() => Promise<unknown>> = []
  const others: CheckDatabase[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {})
    await Promise.all(stores.splice(0).map(closeStore))
    // Dropped with the others when the file ends: one round trip for all of them.
    if (current) others.push(current)
    current = undefined
  })
  afterAll(async () => {
    await Promise.all(others.splice(0).map((database) => database.drop()))
  })
  // Named when a test first uses it; MongoDB creates it with its first write.
  const now = (): CheckDatabase => {
    if (!step.contract.database) throw new Error(`${step.where} keeps no sessions in MongoDB: no database for it`)
    current ??= checkDatabase(label)
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
    /**
     * MONGO_URL for a server the check starts: a database of its own (dropped when the check file
     * ends, so tests running at the same time each have theirs), or none before sessions live in MongoDB.
     */
    mongoEnv(): { MONGO_URL?: string } {
      if (!step.contract.database) return {}
      const own = checkDatabase(label)
      others.push(own)
      return { MONGO_URL: own.url }
    },
    /** Runs after the test; the last one given runs first. */
    cleanup(task: () => Promise<unknown>): void {
      cleanups.push(task)
    },
    /** createSessionStore and createMongoClient from the learner's store.ts. */
    storeModule: () => storeModule(step),
    /** The learner's store on this test's database (createSessionStore), closed after the test. */
    async store(options?: { encryptionSecret?: string }): Promise<ClosableStore> {
      const built = await learnerStore(step, now().url, options)
      trackStore(built, pending)
      stores.push(built)
      return built
    },
    /** Resolves once the stores of this test have answered every call, for a moment (or after a limit). */
    async settled(): Promise<void> {
      const deadline = Date.now() + limit(1000, 6)
      let quietSince = pending.count === 0 ? Date.now() : Number.POSITIVE_INFINITY
      while (Date.now() < deadline && Date.now() - quietSince < 20) {
        await new Promise((resolve) => setTimeout(resolve, 5))
        if (pending.count > 0) quietSince = Number.POSITIVE_INFINITY
        else if (quietSince === Number.POSITIVE_INFINITY) quietSince = Date.now()
      }
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
  return { name: last.name, ...stepAt(last.solutionDir, last, `solutions/${last.name}`) }
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
