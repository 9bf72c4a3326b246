// An outage every learner can watch. The app that `npm run step` (or `npm run demo`) runs reaches
// MongoDB through a TCP proxy the workshop owns, so one key (or the inspector's button) can cut
// MongoDB off, make it hang, and bring it back, while the app keeps running: no Docker needed.
// Guided mode, in another terminal, reaches the switch through a small control port on
// 127.0.0.1, written down in .workshop/outage.json while `npm run step` runs.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { rootDir } from './steps.js'
import { mongoTarget, startTcpProxy, type TcpProxy, throughProxy } from './tcp-proxy.js'

export type OutageState = 'up' | 'refused' | 'hung'

/** What each state means for the app, in one line. */
export const outageLines: Record<OutageState, string> = {
  up: 'MongoDB is back: the app reaches it again (within about a second).',
  refused:
    'MongoDB is cut off: every connection the app opens is refused. Session requests answer 503; GET /health still 200.',
  hung: 'MongoDB hangs: connections open, but no byte comes back (a stopped server, a lost network). Watch how long a request takes now.',
}

const order: OutageState[] = ['up', 'refused', 'hung']

export class OutageSwitch {
  private current: OutageState = 'up'

  private constructor(
    private readonly proxy: TcpProxy,
    /** The MongoDB URL the app should use: the same database, through the proxy. */
    readonly url: string,
  ) {}

  static async start(mongoUrl: string): Promise<OutageSwitch> {
    const proxy = await startTcpProxy(mongoTarget(mongoUrl))
    return new OutageSwitch(proxy, throughProxy(mongoUrl, proxy))
  }

  get state(): OutageState {
    return this.current
  }

  set(state: OutageState): OutageState {
    this.proxy.restore()
    if (state === 'refused') this.proxy.cut()
    if (state === 'hung') this.proxy.hang()
    this.current = state
    return state
  }

  /** up → refused → hung → up. */
  next(): OutageState {
    return this.set(order[(order.indexOf(this.current) + 1) % order.length] ?? 'up')
  }

  close(): Promise<void> {
    return this.proxy.close()
  }
}

/** Where a running `npm run step` says how to reach its switch. */
export function controlFile(root = rootDir): string {
  return join(root, '.workshop', 'outage.json')
}

/** Serves the switch on a port of 127.0.0.1 (POST /next) and writes the port down; stop() undoes both. */
export async function serveSwitch(outage: OutageSwitch, root = rootDir): Promise<{ stop(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/next') {
      res.writeHead(404).end()
      return
    }
    const state = outage.next()
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ state }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const file = controlFile(root)
  mkdirSync(join(root, '.workshop'), { recursive: true })
  writeFileSync(file, `${JSON.stringify({ port: (server.address() as AddressInfo).port, pid: process.pid })}\n`)
  return {
    stop: async () => {
      rmSync(file, { force: true })
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

/** Guided mode's `o`: asks the running `npm run step` to switch; returns what to print. */
export async function switchRunningStep(root = rootDir): Promise<string> {
  const file = controlFile(root)
  const none =
    'o: no `npm run step` with MongoDB runs now. Start one in another terminal (from step 3 on), then press o here to cut MongoDB for it.'
  if (!existsSync(file)) return none
  try {
    const { port } = JSON.parse(readFileSync(file, 'utf8')) as { port: number }
    const response = await fetch(`http://127.0.0.1:${port}/next`, { method: 'POST', signal: AbortSignal.timeout(2000) })
    const { state } = (await response.json()) as { state: OutageState }
    return `${outageLines[state] ?? state} (o again: ${state === 'up' ? 'cut it' : state === 'refused' ? 'make it hang' : 'bring it back'})`
  } catch {
    return none
  }
}
