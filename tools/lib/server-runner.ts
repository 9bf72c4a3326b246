// Runs a step's server.ts in a child process (node + tsx) and restarts it when a file in the
// step's folder is saved. The runner, not the child, owns MongoDB, so restarts keep the data.
import { type ChildProcess, spawn } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { compileErrorFrame, isCompileError } from './compile-error.js'
import { type ListenHost, loopback } from './ports.js'
import { rootDir } from './steps.js'
import { watchFolder } from './watch.js'

export type RunnerEvent =
  | { type: 'listening'; pid?: number }
  | { type: 'restarting'; file: string }
  /** The server ended by itself; `listened` says whether it had started listening. */
  | { type: 'exited'; code: number | null; signal: NodeJS.Signals | null; listened: boolean; firstRun: boolean }

export interface ServerRunnerOptions {
  dir: string
  /** The server's environment, on top of this process's; HOST is the runner's (below). */
  env: Record<string, string>
  /**
   * Where the server may listen: an address (default 127.0.0.1, this machine only), or null for
   * every interface. The server gets it as HOST, and a listen() that names no host uses it too.
   */
  host?: ListenHost
  onEvent(event: RunnerEvent): void
  /** Where the child's output goes (default: this process's stdout/stderr). */
  output?: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }
  /** Poll instead of file-system events (WSL, network drives). */
  poll?: boolean
}

export interface ServerRunner {
  /**
   * Stops the server and the watching. graceMs: how long a server that was sent the same Ctrl+C
   * may take to stop by itself before it is made to.
   */
  stop(graceMs?: number): Promise<void>
}

const listeningPattern = /listening on port/i
const launcher = fileURLToPath(new URL('./run-ts.mjs', import.meta.url))
// A file: URL, not a path: --import would read C:\… on Windows as a URL with the scheme c:.
const listenHost = new URL('./listen-host.mjs', import.meta.url).href
/** Guards a server that uses MongoDB against a driver hang the outage switch's cut sets off. */
const driverGuard = new URL('./driver-guard.mjs', import.meta.url).href

export function runServer(options: ServerRunnerOptions): ServerRunner {
  const output = options.output ?? { stdout: process.stdout, stderr: process.stderr }
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env }
  const host = options.host === undefined ? loopback : options.host
  if (host === null) delete env.HOST
  else env.HOST = host
  let child: ChildProcess | undefined
  let exited: Promise<void> = Promise.resolve()
  let firstRun = true
  let stopping = false

  function start(): void {
    let listened = false
    // run-ts.mjs: as `node --import tsx server.ts`, with the step's libraries loaded first (faster).
    const preloads = ['--import', listenHost, ...(options.env.MONGO_URL ? ['--import', driverGuard] : [])]
    const current = spawn(process.execPath, [...preloads, launcher, join(options.dir, 'server.ts')], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    child = current
    current.stdout?.on('data', (chunk: Buffer) => {
      output.stdout.write(chunk)
      if (!listened && listeningPattern.test(chunk.toString())) {
        listened = true
        options.onEvent({ type: 'listening', pid: current.pid })
      }
    })
    // Passed on as it comes, except a compile error: its stack trace is replaced by the spot.
    // Node prints the head of an uncaught error ("node:internal/…") before the error itself, so
    // such a head waits for what follows it.
    let errors = ''
    let held = ''
    current.stderr?.on('data', (chunk: Buffer) => {
      errors += chunk.toString()
      held += chunk.toString()
      if (isCompileError(errors)) return
      if (/^\s*node:internal\//.test(held) && !/Error/.test(held)) return
      output.stderr.write(held)
      held = ''
    })
    exited = new Promise((resolve) => {
      current.once('exit', (code, signal) => {
        if (isCompileError(errors)) output.stderr.write(`${compileErrorFrame(errors, rootDir) ?? errors}\n`)
        else if (held) output.stderr.write(held)
        const wasFirst = firstRun
        firstRun = false
        if (child === current) child = undefined
        if (!stopping && !current.killed)
          options.onEvent({ type: 'exited', code, signal, listened, firstRun: wasFirst })
        resolve()
      })
    })
  }

  async function kill(graceMs = 0): Promise<void> {
    const current = child
    if (!current) return
    if (graceMs > 0) {
      let timer: NodeJS.Timeout | undefined
      await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))])
      clearTimeout(timer)
      if (child !== current) return
    }
    // On Windows this is no signal: the process is terminated at once (TerminateProcess).
    current.kill('SIGTERM')
    const timer = setTimeout(() => current.kill('SIGKILL'), 3000)
    await exited
    clearTimeout(timer)
  }

  const watcher = watchFolder(options.dir, { poll: options.poll }, (file) => {
    if (stopping) return
    options.onEvent({ type: 'restarting', file: file ?? options.dir })
    firstRun = false
    void kill().then(() => {
      if (!stopping) start()
    })
  })

  start()
  return {
    stop: async (graceMs = 0) => {
      stopping = true
      watcher.close()
      await kill(graceMs)
    },
  }
}
