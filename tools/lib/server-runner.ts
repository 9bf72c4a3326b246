// Runs a step's server.ts in a child process (node + tsx) and restarts it when a file in the
// step's folder is saved. The runner, not the child, owns MongoDB, so restarts keep the data.
import { spawn, type ChildProcess } from 'node:child_process'
import { watch, type FSWatcher } from 'node:fs'
import { join } from 'node:path'

export type RunnerEvent =
  | { type: 'listening'; pid?: number }
  | { type: 'restarting'; file: string }
  /** The server ended by itself; `listened` says whether it had started listening. */
  | { type: 'exited'; code: number | null; signal: NodeJS.Signals | null; listened: boolean; firstRun: boolean }

export interface ServerRunnerOptions {
  dir: string
  env: Record<string, string>
  onEvent(event: RunnerEvent): void
  /** Where the child's output goes (default: this process's stdout/stderr). */
  output?: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }
  /** Poll instead of file-system events (WSL, network drives). */
  poll?: boolean
}

export interface ServerRunner {
  stop(): Promise<void>
}

const listeningPattern = /listening on port/i

export function runServer(options: ServerRunnerOptions): ServerRunner {
  const output = options.output ?? { stdout: process.stdout, stderr: process.stderr }
  let child: ChildProcess | undefined
  let exited: Promise<void> = Promise.resolve()
  let firstRun = true
  let stopping = false
  let debounce: NodeJS.Timeout | undefined

  function start(): void {
    let listened = false
    const current = spawn(process.execPath, ['--import', 'tsx', join(options.dir, 'server.ts')], {
      env: { ...process.env, ...options.env },
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
    current.stderr?.on('data', (chunk: Buffer) => output.stderr.write(chunk))
    exited = new Promise((resolve) => {
      current.once('exit', (code, signal) => {
        const wasFirst = firstRun
        firstRun = false
        if (child === current) child = undefined
        if (!stopping && !current.killed) options.onEvent({ type: 'exited', code, signal, listened, firstRun: wasFirst })
        resolve()
      })
    })
  }

  async function kill(): Promise<void> {
    const current = child
    if (!current) return
    current.kill('SIGTERM')
    const timer = setTimeout(() => current.kill('SIGKILL'), 3000)
    await exited
    clearTimeout(timer)
  }

  const watcher: FSWatcher | undefined = options.poll ? undefined : watch(options.dir, onChange)
  const poller = options.poll ? startPolling(options.dir, onChange) : undefined

  function onChange(_event: string, file: string | null): void {
    if (stopping || (file && !/\.(ts|json)$/.test(file))) return
    clearTimeout(debounce)
    debounce = setTimeout(() => {
      options.onEvent({ type: 'restarting', file: file ?? options.dir })
      firstRun = false
      void kill().then(() => {
        if (!stopping) start()
      })
    }, 150)
  }

  start()
  return {
    stop: async () => {
      stopping = true
      clearTimeout(debounce)
      watcher?.close()
      poller?.stop()
      await kill()
    },
  }
}

/** A portable fallback: compares modification times every 500 ms. */
function startPolling(dir: string, onChange: (event: string, file: string | null) => void): { stop(): void } {
  // Loaded lazily so the common path costs nothing.
  let previous = new Map<string, number>()
  let stopped = false
  const scan = async () => {
    const { readdir, stat } = await import('node:fs/promises')
    const next = new Map<string, number>()
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      const info = await stat(join(dir, name)).catch(() => undefined)
      if (info?.isFile()) next.set(name, info.mtimeMs)
    }
    return next
  }
  void scan().then((first) => (previous = first))
  const timer = setInterval(() => {
    void scan().then((next) => {
      if (stopped) return
      for (const [name, mtime] of next) if (previous.get(name) !== mtime) onChange('change', name)
      previous = next
    })
  }, 500)
  return {
    stop: () => {
      stopped = true
      clearInterval(timer)
    },
  }
}
