// This workspace's embedded MongoDB: one mongod per checkout, run through mongodb-memory-server by a
// process of its own (tools/embedded/host.ts) that outlives the command that started it. Its data
// lives in .workshop/mongodb/data, and .workshop/mongodb/server.json says where it listens, so every
// later command finds the same server with the same sessions; `npm run db:down` stops it.
import { spawn } from 'node:child_process'
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { display, rootDir } from './steps.js'

/** The port it asks for first, so its address stays the same from one start to the next. */
export const preferredPort = 27018

export interface EmbeddedState {
  status: 'starting' | 'ready' | 'failed'
  /** The host process, which owns mongod: the one to signal. */
  pid: number
  mongodPid?: number
  port?: number
  url?: string
  /** Why it could not start, one line. */
  problem?: string
}

export interface EmbeddedMongo {
  url: string
  port: number
  pid: number
  /** Where the data is, as the workshop prints paths (relative to the workshop). */
  dataDir: string
}

export interface EmbeddedPaths {
  dir: string
  state: string
  data: string
  log: string
}

export function embeddedPaths(root = rootDir): EmbeddedPaths {
  const dir = join(root, '.workshop', 'mongodb')
  return { dir, state: join(dir, 'server.json'), data: join(dir, 'data'), log: join(dir, 'server.log') }
}

/** Why the embedded MongoDB is not there: no mongod to run, a failed download, or a mongod that would not start. */
export class EmbeddedError extends Error {
  override name = 'EmbeddedError'
  constructor(
    readonly stage: 'binary' | 'download' | 'start',
    message: string,
  ) {
    super(message)
  }
}

export function isAlive(pid: number | undefined): boolean {
  if (!pid) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists, it is someone else's.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** The recorded state; undefined when there is none, or while its writer has not finished it. */
export function readState(paths: EmbeddedPaths): EmbeddedState | undefined {
  try {
    return JSON.parse(readFileSync(paths.state, 'utf8')) as EmbeddedState
  } catch {
    return undefined
  }
}

/** Writes the state whole (through a rename), so a reader never sees half of it. */
export function writeState(paths: EmbeddedPaths, state: EmbeddedState): void {
  const temporary = `${paths.state}.${process.pid}`
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`)
  renameSync(temporary, paths.state)
}

/** Creates the state only if there is none: of two hosts started at once, one goes on. */
export function claimState(paths: EmbeddedPaths, state: EmbeddedState): boolean {
  mkdirSync(paths.data, { recursive: true })
  let fd: number
  try {
    fd = openSync(paths.state, 'wx')
  } catch {
    return false
  }
  try {
    writeFileSync(fd, `${JSON.stringify(state, null, 2)}\n`)
  } finally {
    closeSync(fd)
  }
  return true
}

/** Removes the state if it still belongs to the host pid (a newer host may have written its own). */
export function removeState(paths: EmbeddedPaths, pid: number): void {
  if (readState(paths)?.pid === pid) rmSync(paths.state, { force: true })
}

/** A state file left by a host that is gone, or one nobody finished writing for seconds. */
function isStale(paths: EmbeddedPaths, state: EmbeddedState | undefined): boolean {
  if (state) return !isAlive(state.pid)
  try {
    return Date.now() - statSync(paths.state).mtimeMs > 5000
  } catch {
    return false
  }
}

function toMongo(state: EmbeddedState, root: string): EmbeddedMongo {
  return {
    url: state.url ?? `mongodb://127.0.0.1:${state.port}`,
    port: state.port ?? 0,
    pid: state.pid,
    dataDir: display(embeddedPaths(root).data, root),
  }
}

/**
 * The running embedded MongoDB of the workspace at root, if its host lives and `answers` says
 * mongod does; a record left by a host that is gone is removed.
 */
export async function findEmbedded(
  root: string,
  answers: (url: string) => Promise<boolean>,
): Promise<EmbeddedMongo | undefined> {
  const paths = embeddedPaths(root)
  const state = readState(paths)
  if (isStale(paths, state)) rmSync(paths.state, { force: true })
  if (state?.status !== 'ready' || !isAlive(state.pid)) return undefined
  const mongo = toMongo(state, root)
  return (await answers(mongo.url)) ? mongo : undefined
}

export interface MongodBinary {
  /** Where mongod is, once it is on this machine. */
  path?: string
  version: string
  /** MONGOMS_SYSTEM_BINARY's mongod, or the one mongodb-memory-server downloads. */
  from: 'MONGOMS_SYSTEM_BINARY' | 'download'
  /** Where mongodb-memory-server keeps what it downloads (once per machine, for every checkout). */
  downloadDir: string
}

/** Which mongod the embedded MongoDB would run, and whether it is on this machine yet. Never downloads. */
export async function locateMongod(): Promise<MongodBinary> {
  const { DryMongoBinary } = await import('mongodb-memory-server')
  const options = await DryMongoBinary.generateOptions()
  // A MONGOMS_SYSTEM_BINARY that names no program makes locateBinary throw.
  const path = await DryMongoBinary.locateBinary(options).catch(() => undefined)
  return {
    ...(path ? { path } : {}),
    version: options.version,
    from: options.systemBinary ? 'MONGOMS_SYSTEM_BINARY' : 'download',
    downloadDir: options.downloadDir,
  }
}

/** What a failed download says, without its stack: the address and the reason (ENOTFOUND, a status). */
function downloadProblem(error: unknown): string {
  if (error instanceof Error && 'url' in error && 'msg' in error) {
    const host = (() => {
      try {
        return new URL(String(error.url)).host
      } catch {
        return String(error.url)
      }
    })()
    return `from ${host}: ${String(error.msg).split('\n')[0]}`
  }
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? ''
}

/** mongod for the embedded MongoDB: found on this machine, or downloaded now, in this command, so its progress shows. */
export async function ensureMongod(log: (line: string) => void): Promise<MongodBinary> {
  const found = await locateMongod()
  if (found.path) return found
  if (found.from === 'MONGOMS_SYSTEM_BINARY') {
    throw new EmbeddedError(
      'binary',
      `MONGOMS_SYSTEM_BINARY is "${process.env.MONGOMS_SYSTEM_BINARY}", and no program is there that this user can run`,
    )
  }
  log(
    `Downloading mongod ${found.version} for the embedded MongoDB into ${found.downloadDir} (about 100 MB, once for this machine)…`,
  )
  const { MongoBinary } = await import('mongodb-memory-server')
  try {
    return { ...found, path: await MongoBinary.getPath() }
  } catch (error) {
    throw new EmbeddedError('download', `mongod ${found.version} could not be downloaded ${downloadProblem(error)}`)
  }
}

const hostScript = fileURLToPath(new URL('../embedded/host.ts', import.meta.url))
const launcher = fileURLToPath(new URL('./run-ts.mjs', import.meta.url))
/** mongod starts in about a second; a first start on a slow disk, or the tests' Java stand-in, takes longer. */
const startTimeoutMs = 90_000

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The last lines of the host's log, for a start that failed without saying why. */
function logTail(paths: EmbeddedPaths): string {
  try {
    const lines = readFileSync(paths.log, 'utf8').trim().split('\n')
    return lines.at(-1) ?? ''
  } catch {
    return ''
  }
}

/**
 * Starts the workspace's embedded MongoDB, or waits for the one another command is starting, and
 * returns it once mongod waits for connections. mongod is downloaded first when it is missing.
 */
export async function startEmbedded(
  root: string,
  log: (line: string) => void,
  answers: (url: string) => Promise<boolean>,
): Promise<EmbeddedMongo> {
  const paths = embeddedPaths(root)
  const deadline = Date.now() + startTimeoutMs
  let host: { exited: boolean } | undefined
  let restarted = false
  for (;;) {
    const state = readState(paths)
    if (isStale(paths, state)) {
      rmSync(paths.state, { force: true })
      continue
    }
    if (state?.status === 'ready') {
      const mongo = toMongo(state, root)
      if (await answers(mongo.url)) return mongo
      // A host whose mongod hangs: stopped once, then started again.
      if (restarted) throw new EmbeddedError('start', `mongod on ${mongo.url} runs but does not answer`)
      log(`The embedded MongoDB on 127.0.0.1:${mongo.port} does not answer: restarting it.`)
      await stopEmbedded(root)
      restarted = true
      continue
    }
    if (state?.status === 'failed') {
      rmSync(paths.state, { force: true })
      throw new EmbeddedError('start', state.problem ?? 'mongod ended before it was ready')
    }
    if (!state && host?.exited) {
      const tail = logTail(paths)
      throw new EmbeddedError('start', `its process ended before mongod was ready${tail ? ` (${tail})` : ''}`)
    }
    if (!state && !host) {
      await ensureMongod(log)
      host = spawnHost(root, paths)
    }
    if (Date.now() > deadline) {
      throw new EmbeddedError('start', `mongod was not ready within ${startTimeoutMs / 1000} s`)
    }
    await sleep(100)
  }
}

function spawnHost(root: string, paths: EmbeddedPaths): { exited: boolean } {
  mkdirSync(paths.data, { recursive: true })
  const output = openSync(paths.log, 'a')
  try {
    // Detached, with no terminal: it outlives this command and ignores the terminal's Ctrl+C.
    const child = spawn(process.execPath, [launcher, hostScript, root], {
      cwd: root,
      detached: true,
      stdio: ['ignore', output, output],
      windowsHide: true,
      // mongod is on this machine by now (ensureMongod): the host never downloads.
      env: { ...process.env, MONGOMS_RUNTIME_DOWNLOAD: 'false' },
    })
    const host = { exited: false }
    child.once('exit', () => {
      host.exited = true
    })
    child.once('error', () => {
      host.exited = true
    })
    child.unref()
    return host
  } finally {
    closeSync(output)
  }
}

/**
 * Stops the workspace's embedded MongoDB: the host stops mongod (it writes its data first) and
 * ends. On Windows a signal ends the host at once, and mongodb-memory-server's watchdog then ends
 * mongod within 2 s. Returns what was running, or undefined when nothing was.
 */
export async function stopEmbedded(root: string): Promise<EmbeddedMongo | undefined> {
  const paths = embeddedPaths(root)
  const state = readState(paths)
  if (!state || !isAlive(state.pid)) {
    rmSync(paths.state, { force: true })
    return undefined
  }
  process.kill(state.pid, 'SIGTERM')
  // The host removes its record once mongod has ended (a process that ended can still look alive
  // until its parent collects it); a host ended by Windows leaves it, and its processes end.
  const ended = () => readState(paths)?.pid !== state.pid || (!isAlive(state.pid) && !isAlive(state.mongodPid))
  // mongodb-memory-server gives mongod 10 s after SIGINT before it sends SIGKILL.
  const deadline = Date.now() + 15_000
  while (!ended() && Date.now() < deadline) await sleep(50)
  if (!ended()) for (const pid of [state.pid, state.mongodPid]) if (isAlive(pid)) process.kill(pid as number, 'SIGKILL')
  removeState(paths, state.pid)
  return toMongo(state, root)
}
