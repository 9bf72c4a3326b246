// The finished workshop server as a child process on an internal port, run by the same runner as
// `npm run step` (so saving one of its files restarts it too). The inspector restarts it on request
// and its proxy waits until it listens again.
import { type RunnerEvent, runServer, type ServerRunner } from '../lib/server-runner.js'

export interface AppStatus {
  state: 'starting' | 'running' | 'stopped'
  pid: number | null
  /** How many times it was restarted since `npm run demo` started. */
  restarts: number
  /** When it started listening (ms since 1970), or null. */
  since: number | null
  /** Why it stopped, when it stopped by itself. */
  problem: string | null
}

export interface AppProcessOptions {
  dir: string
  env: Record<string, string>
  output?: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }
}

interface Waiter {
  resolve(): void
  reject(error: Error): void
}

export class AppProcess {
  private runner: ServerRunner | undefined
  private current: AppStatus = { state: 'stopped', pid: null, restarts: 0, since: null, problem: null }
  private waiters: Waiter[] = []
  private restarting: Promise<AppStatus> | undefined

  constructor(private readonly options: AppProcessOptions) {}

  get status(): AppStatus {
    return { ...this.current }
  }

  start(): void {
    this.current = { ...this.current, state: 'starting', pid: null, since: null, problem: null }
    this.runner = runServer({ ...this.options, onEvent: (event) => this.onEvent(event) })
  }

  /** Resolves once the server listens; rejects when it stops first or takes longer than timeoutMs. */
  ready(timeoutMs = 15_000): Promise<void> {
    if (this.current.state === 'running') return Promise.resolve()
    if (this.current.state === 'stopped')
      return Promise.reject(new Error(this.current.problem ?? 'the server is not running'))
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => settle(() => reject(new Error(`the server did not listen within ${timeoutMs / 1000} s`))),
        timeoutMs,
      )
      const waiter: Waiter = { resolve: () => settle(resolve), reject: (error) => settle(() => reject(error)) }
      const settle = (finish: () => void) => {
        clearTimeout(timer)
        this.waiters = this.waiters.filter((other) => other !== waiter)
        finish()
      }
      this.waiters.push(waiter)
    })
  }

  /** Stops the server (SIGTERM, as Ctrl+C would) and starts a new process; clicks during a restart share it. */
  restart(): Promise<AppStatus> {
    this.restarting ??= (async () => {
      try {
        await this.runner?.stop()
        this.current.restarts++
        this.start()
        await this.ready()
        return this.status
      } finally {
        this.restarting = undefined
      }
    })()
    return this.restarting
  }

  async stop(): Promise<void> {
    await this.runner?.stop()
    this.runner = undefined
    this.current = { ...this.current, state: 'stopped', pid: null, since: null }
    for (const waiter of [...this.waiters]) waiter.reject(new Error('the demo is stopping'))
  }

  private onEvent(event: RunnerEvent): void {
    if (event.type === 'listening') {
      this.current = { ...this.current, state: 'running', pid: event.pid ?? null, since: Date.now(), problem: null }
      for (const waiter of [...this.waiters]) waiter.resolve()
    } else if (event.type === 'restarting') {
      // A file of the solution was saved: the runner restarts the server by itself.
      this.current = { ...this.current, state: 'starting', pid: null, since: null, restarts: this.current.restarts + 1 }
    } else {
      const how = event.code !== null ? `exit code ${event.code}` : `signal ${event.signal}`
      this.current = {
        ...this.current,
        state: 'stopped',
        pid: null,
        since: null,
        problem: `the server stopped (${how})`,
      }
      for (const waiter of [...this.waiters]) waiter.reject(new Error(this.current.problem ?? how))
    }
  }
}
