// The learner's server.ts, two ways: its start(env) called in this process (fast, for everything
// start() decides), and server.ts run directly as a real process (for what only a process shows:
// what it prints, signals, exit codes).
import { type ChildProcess, spawn } from 'node:child_process'
import { Server } from 'node:net'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterEach } from 'vitest'
import { exitedWithOutput } from '../../tools/lib/child.js'
import { listens } from '../../tools/lib/ports.js'
import { rootDir } from '../../tools/lib/steps.js'
import { errorLine } from './error-line.js'
import { limit } from './pace.js'
import { type CheckedStep, calling, exported, fail } from './workshop.js'

export interface RunningServer {
  port: number
  close(graceMs?: number): Promise<void>
}

type Start = (env: NodeJS.ProcessEnv) => Promise<RunningServer>

/**
 * start(env) from the learner's server.ts, with every server it starts closed after each test.
 * `started()` runs it and fails with a sentence when it does not resolve with { port, close }.
 */
export function learnerServers(step: CheckedStep) {
  const running: RunningServer[] = []
  // Registered by each check file that asks (a support module loads once per worker, so a hook
  // at its top level would belong to the first check file only).
  afterEach(async () => {
    // A close() that never settles must not hold the next check: it is waited for a while only.
    const closing = Promise.all(running.splice(0).map((server) => server.close().catch(() => {})))
    await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, limit(5000, 10)).unref())])
    // Every process a check started ends with the test, even one that failed halfway.
    for (const child of processes) child.kill('SIGKILL')
    processes.clear()
  })
  const startOf = async (): Promise<Start> => {
    // A server.ts that listens as soon as it is imported would listen on every check's import:
    // the servers it starts while it loads are noted (and closed), the first time only.
    const opened: Server[] = []
    const listen = Server.prototype.listen
    if (!importedOnce.has(step.dir)) {
      Server.prototype.listen = function (this: Server, ...args: unknown[]) {
        opened.push(this)
        return (listen as (...args: unknown[]) => Server).apply(this, args)
      } as typeof listen
    }
    let module: Record<string, unknown>
    const listenedAtImport = () =>
      fail(
        `${step.where}/server.ts started listening when it was only imported: start the server only when the file is run directly (compare the file Node runs with this module's own path).`,
      )
    try {
      module = await step.load<Record<string, unknown>>('server.ts')
    } catch (error) {
      // Listening at import may fail too (the port is taken) and end the import: still the cause.
      if (opened.length > 0) listenedAtImport()
      throw error
    } finally {
      Server.prototype.listen = listen
      importedOnce.add(step.dir)
    }
    if (opened.length > 0) {
      for (const server of opened) server.close()
      listenedAtImport()
    }
    return exported<Start>(
      module,
      'start',
      `${step.where}/server.ts`,
      'start(env): it reads its settings with readConfig(env), listens, and resolves with { port, close }',
    )
  }
  return {
    /**
     * Calls start(env), for checks about how it fails: resolves with what it rejected with (its
     * message), or '' when it started. A server it started is closed after the test. `within`: how
     * long a correct start(env) takes at most here, and what to say when it takes longer (by
     * default 15 s, and a sentence about an await that never settles).
     */
    async refusal(
      env: NodeJS.ProcessEnv,
      within?: { ms: number; late: (waitedMs: number) => string },
    ): Promise<string> {
      const start = await startOf()
      const waitMs = within?.ms ?? limit(15_000, 10)
      let timer: NodeJS.Timeout | undefined
      const outcome = await Promise.race([
        Promise.resolve()
          .then(() => start(env))
          .then(
            (server) => ({ server }),
            (error: unknown) => ({ error }),
          ),
        new Promise<'stuck'>((resolve) => {
          timer = setTimeout(() => resolve('stuck'), waitMs)
        }),
      ])
      clearTimeout(timer)
      if (outcome === 'stuck') {
        if (within) fail(within.late(waitMs))
        fail(
          `start(env) in ${step.where}/server.ts neither started nor refused within ${Math.round(waitMs / 1000)} s: an await in it never settles.`,
        )
      }
      if ('server' in outcome) {
        if (outcome.server && typeof outcome.server.close === 'function') running.push(outcome.server)
        return ''
      }
      const { error } = outcome
      return (error instanceof Error ? error.message : String(error)) || 'an error without a message'
    },
    /** Calls start(env), which must resolve with { port, close() } within 10 s. */
    async started(env: NodeJS.ProcessEnv): Promise<RunningServer> {
      const start = await startOf()
      const server = await calling(`start(env) in ${step.where}/server.ts`, async () => {
        try {
          return await start(env)
        } catch (error) {
          // A port written into the code fails only while another program holds it: name that.
          const message = error instanceof Error ? error.message : String(error)
          const tried = /\bport (\d+)|:(\d+)\b/i.exec(message)
          const port = tried?.[1] ?? tried?.[2]
          if (env.PORT && port && port !== env.PORT) {
            fail(
              `start(env) in ${step.where}/server.ts tried port ${port} (${message}): it should listen on PORT (${env.PORT}), as readConfig(env) reads it.`,
            )
          }
          throw error
        }
      })
      if (!server || typeof server.close !== 'function' || typeof server.port !== 'number') {
        fail(`start(env) in ${step.where}/server.ts should resolve with { port, close }, once the server listens.`)
      }
      running.push(server)
      return server
    },
  }
}

export interface ServerProcess {
  child: ChildProcess
  /** Everything printed so far, stdout and stderr. */
  output(): string
  /** Resolves with the exit code (or the signal that ended it). */
  exited: Promise<number | NodeJS.Signals | null>
  /** True while the process runs. */
  running(): boolean
  /** Resolves when the output matches; fails with a sentence when it exits or times out first. */
  /** With a port: a server listening there without printing it is told at once, not after the time limit. */
  printed(pattern: RegExp, timeoutMs: number, what: string, port?: number): Promise<RegExpExecArray>
  /** What keeps the running process alive, in words ("a timer", "an open connection"), or '' if it cannot tell. */
  aliveBy(): Promise<string>
  kill(): Promise<void>
}

/** The launcher that preloads the libraries a step imports, then runs its TypeScript (tools/lib/run-ts.mjs). */
const launcher = join(rootDir, 'tools', 'lib', 'run-ts.mjs')
/** Prints what keeps the process alive on SIGUSR2 (aliveBy()). */
const aliveReport = pathToFileURL(join(rootDir, 'test', 'support', 'alive-report.mjs')).href
/** Guards a server given a MongoDB against a driver hang a proxy's cut sets off, as `npm run step` does. */
const driverGuard = pathToFileURL(join(rootDir, 'tools', 'lib', 'driver-guard.mjs')).href

/**
 * Runs `server.ts` directly, as `npm run step` does; env adds to this process's environment. The
 * process is killed when its test ends: by learnerServers()' afterEach, or, for a test that runs
 * concurrently with others, by the onTestFinished of that test's context, given here.
 */
export function runServerProcess(
  step: CheckedStep,
  env: Record<string, string | undefined>,
  onTestFinished?: (cleanup: () => void) => void,
): ServerProcess {
  const preloads = ['--import', aliveReport, ...(env.MONGO_URL ? ['--import', driverGuard] : [])]
  const child = spawn(process.execPath, [...preloads, launcher, join(step.dir, 'server.ts')], {
    cwd: rootDir,
    env: { ...process.env, NODE_ENV: undefined, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let text = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    text += chunk.toString()
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    text += chunk.toString()
  })
  const exited: Promise<number | NodeJS.Signals | null> = exitedWithOutput(child).then(
    ({ code, signal }) => code ?? signal,
  )
  if (onTestFinished) onTestFinished(() => child.kill('SIGKILL'))
  else {
    processes.add(child)
    void exited.then(() => processes.delete(child))
  }
  const running = () => child.exitCode === null && child.signalCode === null

  return {
    child,
    output: () => text,
    exited,
    running,
    printed: async (pattern, timeoutMs, what, port) => {
      const until = Date.now() + timeoutMs
      let listeningSince: number | undefined
      let lastLook = 0
      for (;;) {
        // Listening, and still silent a moment later (the line comes right after listen()).
        if (port !== undefined && listeningSince === undefined && Date.now() - lastLook > 200) {
          lastLook = Date.now()
          if (await listens('127.0.0.1', port)) listeningSince = Date.now()
        }
        if (listeningSince !== undefined && Date.now() - listeningSince > limit(500) && !pattern.exec(text)) {
          fail(
            `${step.where}/server.ts listens on port ${port} but printed no ${what} (it printed: ${errorLine(text)}).`,
          )
        }
        const match = pattern.exec(text)
        if (match) return match
        if (!running()) {
          // Let the last output arrive before judging it.
          await new Promise((resolve) => setTimeout(resolve, 50))
          const late = pattern.exec(text)
          if (late) return late
          fail(`${step.where}/server.ts ${describeExit(child)} before it printed ${what}: ${errorLine(text)}.`)
        }
        if (Date.now() > until) {
          fail(
            `${step.where}/server.ts printed no ${what} within ${timeoutMs / 1000} s (it printed: ${errorLine(text)}).`,
          )
        }
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    },
    aliveBy: async () => {
      if (!running() || process.platform === 'win32') return ''
      const from = text.length
      child.kill('SIGUSR2')
      const until = Date.now() + limit(1000)
      let kinds: string[] | undefined
      while (!kinds && Date.now() < until && running()) {
        await new Promise((resolve) => setTimeout(resolve, 20))
        kinds = /\[alive\] ([^\n]*)\n/.exec(text.slice(from))?.[1]?.split(',').filter(Boolean)
      }
      return describeAlive(kinds ?? [])
    },
    kill: async () => {
      if (running()) child.kill('SIGKILL')
      await exited
    },
  }
}

/** Node's active resources, as what a learner would recognise in their code. */
function describeAlive(kinds: string[]): string {
  const found: string[] = []
  if (kinds.includes('TCPServerWrap')) found.push('the server still listens (server.close() was not called)')
  if (kinds.includes('TCPSocketWrap')) {
    found.push('a connection is still open (the MongoDB client or the store, when close() does not close them)')
  }
  if (kinds.includes('Timeout') || kinds.includes('Immediate')) {
    found.push('a timer is still scheduled (a setInterval, or a setTimeout not due yet: clear it when closing)')
  }
  if (kinds.some((kind) => /^(FSReqCallback|FileHandle|StatWatcher|FSEvent)/.test(kind))) {
    found.push('a file is still open or watched')
  }
  return found.join('; and ')
}

/** "exited with code 1", "was killed by SIGTERM". */
export function describeExit(child: ChildProcess): string {
  if (child.signalCode) return `was killed by ${child.signalCode}`
  return child.exitCode === null ? 'is still running' : `exited with code ${child.exitCode}`
}

/** The folders whose server.ts was imported once in this worker (a second import is cached). */
const importedOnce = new Set<string>()

/** The processes runServerProcess() started: learnerServers() ends them after each test. */
const processes = new Set<ChildProcess>()
