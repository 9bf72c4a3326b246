// Which database a command uses on the MongoDB the resolver found. Each learner gets their own, so
// a room can share one server: the database named in MONGO_URL if any, else WORKSHOP_DATABASE, else
// test-app-<your user name>. The demo keeps to a database of its own beside it.
import { createHash } from 'node:crypto'
import { userInfo } from 'node:os'
import { UserError } from './errors.js'
import { databaseOf, withDatabase } from './mongo.js'

/** The article's database, which server.ts uses when it runs without MONGO_URL. */
export const articleDatabase = 'test-app'

/** Letters, digits, - and _: a name MongoDB accepts on every system, short of its 64-byte limit with -demo added. */
const safeName = /^[A-Za-z0-9_-]{1,58}$/

export type DatabaseOrigin = 'MONGO_URL' | 'WORKSHOP_DATABASE' | 'user name'

export interface LearnerDatabase {
  /** The connection string with the database in its path. */
  url: string
  database: string
  /** Where the name came from, for the line that prints it. */
  origin: DatabaseOrigin
}

/** The OS user name, or what the environment says when the system has none to give. */
export function osUserName(env: Record<string, string | undefined> = process.env): string {
  try {
    return userInfo().username
  } catch {
    return env.USER ?? env.USERNAME ?? env.LOGNAME ?? ''
  }
}

/**
 * A user name made fit for a database name: accents dropped, lower case (MongoDB refuses two
 * databases whose names differ only in case), anything else a dash. A name with nothing left,
 * such as one in another script, becomes a short hash of itself, so it stays its own.
 */
export function safeUserName(name: string): string {
  const safe = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '')
  if (safe !== '') return safe
  if (name.trim() === '') return 'learner'
  return `user-${createHash('sha256').update(name).digest('hex').slice(0, 8)}`
}

/** The learner's database name when MONGO_URL names none: WORKSHOP_DATABASE, else from the user name. */
export function learnerDatabaseName(
  env: Record<string, string | undefined> = process.env,
  userName: string = osUserName(env),
): { database: string; origin: DatabaseOrigin } {
  const chosen = env.WORKSHOP_DATABASE?.trim()
  if (chosen) {
    if (!safeName.test(chosen)) {
      throw new UserError(
        `WORKSHOP_DATABASE must be a database name of letters, digits, - and _ (at most 58), not "${chosen}": for example WORKSHOP_DATABASE=test-app-ada.`,
      )
    }
    return { database: chosen, origin: 'WORKSHOP_DATABASE' }
  }
  return { database: `${articleDatabase}-${safeUserName(userName)}`, origin: 'user name' }
}

/** The learner's database on the server at url: the one url names, else learnerDatabaseName(). */
export function learnerDatabase(
  url: string,
  env: Record<string, string | undefined> = process.env,
  userName?: string,
): LearnerDatabase {
  const named = databaseOf(url)
  if (named) return { url, database: named, origin: 'MONGO_URL' }
  const { database, origin } = learnerDatabaseName(env, userName)
  return { url: withDatabase(url, database), database, origin }
}

/** The demo's database: the learner's name with -demo, so the inspector never shows the learner's own sessions. */
export function demoDatabase(url: string, env: Record<string, string | undefined> = process.env): LearnerDatabase {
  const learner = learnerDatabase(url, env)
  const database = `${learner.database}-demo`
  return { url: withDatabase(url, database), database, origin: learner.origin }
}

/** How the runner's MongoDB line names the database and where the name came from. */
export function databaseLine({ database, origin }: LearnerDatabase): string {
  if (origin === 'MONGO_URL') return `database ${database} (named in MONGO_URL)`
  if (origin === 'WORKSHOP_DATABASE') return `database ${database} (from WORKSHOP_DATABASE)`
  return `database ${database} (from your user name)`
}
