// The finished server as one or more instances (`npm run demo -- --instances 3`), seen by the
// inspector as one app. It can answer while one instance listens, because the balancer in front
// passes a request on to the next instance when one does not answer; a restart therefore goes one
// instance at a time, as a rolling deploy does, and no request fails during it.
import { AppProcess, type AppProcessOptions, type AppStatus } from './app-process.js'

export interface InstanceStatus {
  /** The instance's name (its X-Instance header), or null for a single server that keeps its default. */
  name: string | null
  state: AppStatus['state']
  pid: number | null
}

export interface ServerStatus {
  /** running: every instance listens; starting: one or more is starting; stopped: one stopped by itself. */
  state: AppStatus['state']
  /** How many times the instances were restarted (by the page's button, or a saved file). */
  restarts: number
  /** Why an instance stopped by itself, or null. */
  problem: string | null
  instances: InstanceStatus[]
}

export class AppGroup {
  private readonly members: { name: string | null; process: AppProcess }[]
  private restarting: Promise<ServerStatus> | undefined

  /** One process per entry of names; a null name leaves the server's own default. */
  constructor(names: (string | null)[], optionsFor: (name: string | null, index: number) => AppProcessOptions) {
    this.members = names.map((name, index) => ({ name, process: new AppProcess(optionsFor(name, index)) }))
  }

  get status(): ServerStatus {
    const instances = this.members.map(({ name, process }) => ({ name, ...pick(process.status) }))
    const stopped = this.members.find(({ process }) => process.status.state === 'stopped')
    const problem = stopped?.process.status.problem ?? null
    return {
      state: stopped ? 'stopped' : instances.some((one) => one.state === 'starting') ? 'starting' : 'running',
      restarts: Math.max(0, ...this.members.map(({ process }) => process.status.restarts)),
      problem: problem && stopped?.name ? `instance ${stopped.name}: ${problem}` : problem,
      instances,
    }
  }

  start(): void {
    for (const { process } of this.members) process.start()
  }

  /** Resolves once every instance listens: how the demo starts. */
  async readyAll(timeoutMs: number): Promise<void> {
    await Promise.all(this.members.map(({ process }) => process.ready(timeoutMs)))
  }

  /** Resolves once one instance listens, which is enough for the balancer to answer. */
  async ready(): Promise<void> {
    try {
      await Promise.any(this.members.map(({ process }) => process.ready()))
    } catch (error) {
      const first = error instanceof AggregateError ? error.errors[0] : error
      throw first instanceof Error ? first : new Error(String(first))
    }
  }

  /** Restarts the instances one after the other; clicks during a restart share it. */
  restart(): Promise<ServerStatus> {
    this.restarting ??= (async () => {
      try {
        for (const { process } of this.members) await process.restart()
        return this.status
      } finally {
        this.restarting = undefined
      }
    })()
    return this.restarting
  }

  async stop(): Promise<void> {
    await Promise.all(this.members.map(({ process }) => process.stop()))
  }
}

function pick(status: AppStatus): Pick<InstanceStatus, 'state' | 'pid'> {
  return { state: status.state, pid: status.pid }
}
