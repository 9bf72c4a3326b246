// What `npm run doctor` looks at. Each check returns a finding: fine, a warning (something optional
// is missing), or a problem that stops the workshop, always with the fix.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { learnerDatabaseName } from './databases.js'
import { composeFix, engineFix, probeDocker, type RunCommand, runCommand, withoutDocker } from './docker.js'
import { EmbeddedError, locateMongod, type MongodBinary } from './embedded.js'
import { UserError } from './errors.js'
import { databaseOf, defaultDeps, type ResolveDeps, type ResolvedMongo, resolveMongo } from './mongo.js'
import { isPortFree, parsePort } from './ports.js'
import { rootDir } from './steps.js'

export interface Finding {
  status: 'ok' | 'warn' | 'fail'
  /** One line: what was found. */
  text: string
  /** What to do about it (warnings and problems). */
  fix?: string
}

/** True when version meets an engines range made of `>=x.y.z`, `^x.y.z` or `x.y.z`, joined by `||`; undefined if unreadable. */
export function meetsRange(version: string, range: string): boolean | undefined {
  const have = parseVersion(version)
  if (!have) return undefined
  const results = range.split('||').map((part) => {
    const match = /^\s*(>=|\^)?\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?\s*$/.exec(part)
    if (!match) return undefined
    const want = [Number(match[2]), Number(match[3] ?? 0), Number(match[4] ?? 0)] as const
    const order = compare(have, want)
    if (match[1] === '>=') return order >= 0
    if (match[1] === '^') return have[0] === want[0] && order >= 0
    return order === 0
  })
  if (results.includes(undefined)) return undefined
  return results.includes(true)
}

function parseVersion(version: string): readonly [number, number, number] | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version)
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let index = 0; index < 3; index++)
    if ((a[index] ?? 0) !== (b[index] ?? 0)) return (a[index] ?? 0) - (b[index] ?? 0)
  return 0
}

interface PackageJson {
  engines?: { node?: string }
  dependencies?: Record<string, string>
  devDependencies?: Record<string, string>
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T
  } catch {
    return undefined
  }
}

export function checkNode(version = process.version, root = rootDir): Finding {
  const range = readJson<PackageJson>(join(root, 'package.json'))?.engines?.node
  if (!range) return { status: 'ok', text: `Node.js ${version}` }
  const meets = meetsRange(version, range)
  if (meets === false) {
    return {
      status: 'fail',
      text: `Node.js ${version} is too old: the workshop needs ${range}.`,
      fix: 'Install the current LTS from https://nodejs.org (or `nvm install --lts`), then run npm install again.',
    }
  }
  return { status: 'ok', text: `Node.js ${version} (the workshop needs ${range})` }
}

/** Every package in package.json is in node_modules, at the version package-lock.json names. */
export function checkDependencies(root = rootDir): Finding {
  const manifest = readJson<PackageJson>(join(root, 'package.json')) ?? {}
  const lock = readJson<{ packages?: Record<string, { version?: string }> }>(join(root, 'package-lock.json'))
  const names = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies }).sort()
  const missing: string[] = []
  const stale: string[] = []
  for (const name of names) {
    const installed = readJson<{ version?: string }>(join(root, 'node_modules', name, 'package.json'))
    const locked = lock?.packages?.[`node_modules/${name}`]?.version
    if (!installed) missing.push(name)
    else if (locked && installed.version !== locked)
      stale.push(`${name} ${installed.version} (the lock file says ${locked})`)
  }
  if (missing.length === names.length && names.length > 0) {
    return {
      status: 'fail',
      text: 'The dependencies are not installed.',
      fix: 'Run npm install in the workshop folder.',
    }
  }
  if (missing.length > 0 || stale.length > 0) {
    const parts = [
      missing.length > 0 ? `missing: ${missing.join(', ')}` : '',
      stale.length > 0 ? `out of date: ${stale.join(', ')}` : '',
    ].filter(Boolean)
    return {
      status: 'fail',
      text: `Some dependencies do not match package.json (${parts.join('; ')}).`,
      fix: 'Run npm install.',
    }
  }
  return { status: 'ok', text: `Dependencies installed (${names.length} packages, as package-lock.json says)` }
}

/**
 * Asks the resolver (mongo.ts) which MongoDB it would use and whether it answers. It starts the
 * workspace's embedded MongoDB only when asked to (`startEmbedded`); otherwise it says whether one
 * could start, offline too.
 */
export async function checkMongo(
  startEmbedded: boolean,
  deps: ResolveDeps = defaultDeps(),
  locate: () => Promise<MongodBinary> = locateMongod,
): Promise<Finding> {
  // The resolver reaches startEmbedded only when nothing else answers: remember that it got that far.
  let reachedStart = false
  const noticing = noticingDownload(deps)
  try {
    const mongo = await resolveMongo({
      ...noticing.deps,
      log: () => {},
      startEmbedded: async (log) => {
        reachedStart = true
        if (!startEmbedded) throw new Error('not asked to start it')
        return noticing.deps.startEmbedded(log)
      },
    })
    const started = reachedStart ? ', started now; it keeps running for the next commands' : ''
    return { status: 'ok', text: `MongoDB: ${mongo.description} answers${started}` }
  } catch (error) {
    if (reachedStart && !startEmbedded) return embeddedReadiness(await locate().catch(() => undefined))
    const download = noticing.failed()
    if (download) return downloadFailure(download)
    if (error instanceof UserError) return { status: 'fail', text: `MongoDB: ${error.message}` }
    throw error
  }
}

/** The embedded MongoDB's start as deps.startEmbedded, remembering a failed download of mongod. */
function noticingDownload(deps: ResolveDeps): { deps: ResolveDeps; failed(): EmbeddedError | undefined } {
  let download: EmbeddedError | undefined
  return {
    deps: {
      ...deps,
      startEmbedded: (log) =>
        deps.startEmbedded(log).catch((error: unknown) => {
          if (error instanceof EmbeddedError && error.stage === 'download') download = error
          throw error
        }),
    },
    failed: () => download,
  }
}

/** mongod could not be downloaded: what failed, and the ways without the download. */
function downloadFailure(error: EmbeddedError): Finding {
  return {
    status: 'fail',
    text: `MongoDB: ${nothingElse} the workshop would start its embedded MongoDB, and ${error.message}.`,
    fix: `Run \`npm run setup\` again once online; ${offlineFix}.`,
  }
}

const nothingElse = 'nothing answers on 127.0.0.1:27017 and MONGO_URL is not set, so'
export const offlineFix =
  'offline, name a mongod you have with MONGOMS_SYSTEM_BINARY=/path/to/mongod or a download mirror with MONGOMS_DOWNLOAD_MIRROR, or use `npm run db:up` (Docker) or MONGO_URL'

/** What the first command that needs MongoDB would meet: a mongod ready to start, or a download first. */
export function embeddedReadiness(mongod: MongodBinary | undefined): Finding {
  if (mongod?.path) {
    return {
      status: 'ok',
      text: `MongoDB: ${nothingElse} the first command that needs one starts this workspace's embedded MongoDB, with ${mongodName(mongod)} already on this machine; \`npm run doctor -- --embedded\` starts it now`,
    }
  }
  if (mongod?.from === 'MONGOMS_SYSTEM_BINARY') {
    return {
      status: 'fail',
      text: `MongoDB: ${nothingElse} the workshop would start its embedded MongoDB, but MONGOMS_SYSTEM_BINARY ("${process.env.MONGOMS_SYSTEM_BINARY}") names no program this user can run.`,
      fix: 'Name a mongod there (e.g. the one from a MongoDB install), or unset MONGOMS_SYSTEM_BINARY so that `npm run setup` downloads one.',
    }
  }
  return {
    status: 'warn',
    text: `MongoDB: ${nothingElse} the first command that needs one starts this workspace's embedded MongoDB, and downloads mongod first (about 100 MB, once for this machine).`,
    fix: `Run \`npm run setup\` now, while online, and no command will need the internet; ${offlineFix}.`,
  }
}

/**
 * `npm run setup`: a MongoDB that answers (the embedded one started, mongod downloaded first when
 * it is missing), and whether mongod for the embedded one is on this machine in case the server
 * found on 127.0.0.1:27017 is not there in class.
 */
export async function prepareMongo(
  deps: ResolveDeps = defaultDeps(),
  locate: () => Promise<MongodBinary> = locateMongod,
): Promise<Finding[]> {
  let mongo: ResolvedMongo
  const noticing = noticingDownload(deps)
  try {
    mongo = await resolveMongo(noticing.deps)
  } catch (error) {
    const download = noticing.failed()
    if (download) return [downloadFailure(download)]
    if (error instanceof UserError) return [{ status: 'fail', text: `MongoDB: ${error.message}` }]
    throw error
  }
  const found: Finding = { status: 'ok', text: `MongoDB: ${mongo.description} answers` }
  if (mongo.source === 'MONGO_URL') return [found]
  const mongod = await locate().catch(() => undefined)
  if (mongo.source === 'embedded') {
    return [found, { status: 'ok', text: `${mongodName(mongod)} is on this machine: no command needs the internet` }]
  }
  if (mongod?.path) {
    return [
      found,
      {
        status: 'ok',
        text: `${mongodName(mongod)} is on this machine too, for the embedded MongoDB on a day that server does not run`,
      },
    ]
  }
  return [
    found,
    {
      status: 'warn',
      text: 'mongod for the embedded MongoDB is not on this machine: not needed while that server runs.',
      fix: 'If it may not run in class, `WORKSHOP_MONGO=embedded npm run setup` downloads mongod now and starts the embedded MongoDB.',
    },
  ]
}

/** "mongod 8.2.6 (its path)", or MONGOMS_SYSTEM_BINARY's, whose version only running it would tell. */
function mongodName(mongod: MongodBinary | undefined): string {
  if (!mongod) return 'mongod'
  const where = mongod.path ? ` (${mongod.path})` : ''
  return mongod.from === 'MONGOMS_SYSTEM_BINARY'
    ? `mongod from MONGOMS_SYSTEM_BINARY${where}`
    : `mongod ${mongod.version}${where}`
}

/** The learner's database: their own on any server, so a room can share one. */
export function checkDatabase(env: Record<string, string | undefined> = process.env): Finding {
  const url = env.MONGO_URL?.trim()
  try {
    const named = url ? databaseOf(url) : undefined
    if (named) return { status: 'ok', text: `Your database: ${named} (named in MONGO_URL)` }
    const { database, origin } = learnerDatabaseName(env)
    const why =
      origin === 'WORKSHOP_DATABASE'
        ? 'from WORKSHOP_DATABASE'
        : 'from your user name; WORKSHOP_DATABASE chooses another, e.g. where every laptop logs in with the same name'
    return { status: 'ok', text: `Your database: ${database} (${why})` }
  } catch (error) {
    if (error instanceof UserError) return { status: 'fail', text: error.message }
    throw error
  }
}

/** Prints a finding as the doctor and `npm run setup` list them. */
export function printFinding(finding: Finding): void {
  const mark = finding.status === 'ok' ? '✓' : finding.status === 'warn' ? '⚠' : '✗'
  console.log(`  ${mark} ${finding.text}`)
  if (finding.fix) console.log(`    → ${finding.fix}`)
}

/** Docker is optional (`npm run db:up`): never a blocking problem, but each missing piece is named with its fix. */
export async function checkDocker(run: RunCommand = runCommand): Promise<Finding> {
  const docker = await probeDocker(run)
  if (!docker.client) {
    return {
      status: 'warn',
      text: 'Docker: not found (optional: only `npm run db:up` needs it).',
      fix: 'Install Docker Desktop (or Docker Engine and its Compose plugin) if you want MongoDB from Docker; otherwise the workshop finds or starts one itself.',
    }
  }
  const missing = [
    docker.compose ? '' : 'it has no Compose plugin, so `docker compose version` fails',
    docker.engine ? '' : 'its engine does not answer',
  ].filter(Boolean)
  if (missing.length > 0) {
    const fixes = [docker.compose ? '' : composeFix, docker.engine ? '' : engineFix].filter(Boolean).join(', then ')
    return {
      status: 'warn',
      text: `Docker: ${docker.client}, but ${missing.join(' and ')} (optional: only \`npm run db:up\` needs ${missing.length === 1 ? 'it' : 'them'}).`,
      fix: `${fixes[0]?.toUpperCase()}${fixes.slice(1)} before \`npm run db:up\`; or ${withoutDocker}.`,
    }
  }
  return { status: 'ok', text: `Docker: ${docker.client}, ${docker.compose}, engine ${docker.engine}` }
}

export async function checkPort(env: Record<string, string | undefined> = process.env): Promise<Finding> {
  let port: number
  try {
    port = parsePort(env.PORT)
  } catch (error) {
    return { status: 'fail', text: (error as Error).message }
  }
  const where = env.PORT ? `PORT=${port}` : `port ${port}`
  if (await isPortFree(port))
    return { status: 'ok', text: `${where[0]?.toUpperCase()}${where.slice(1)} is free for npm run step` }
  return {
    status: 'fail',
    text: `${where[0]?.toUpperCase()}${where.slice(1)} is in use, so npm run step cannot listen there.`,
    fix: `Stop the program that uses it (another npm run step?), or choose another port, e.g. PORT=${port + 1} npm run step 1.`,
  }
}
