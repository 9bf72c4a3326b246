// Does the finished server keep what it no longer needs? Rounds of 100 clients, each living a
// whole session (log in, read GET /me three times, half of them log out), against the last
// step's finished server in a process of its own; after each round, that process's heap after a
// full garbage collection. The first rounds warm up (JIT, connection pools, caches); after them the
// heap should level off: the least-squares trend over the remaining rounds is the figure, and a
// server keeping a few hundred bytes per request (600 requests a round) would show 250 KB a round.
import { fork } from 'node:child_process'
import { join } from 'node:path'
import { freePort } from '../../lib/ports.js'
import { liveASession } from '../../lib/session-client.js'
import { listSteps, rootDir } from '../../lib/steps.js'
import type { MemoryCommand, MemoryMessage } from './memory-server.js'

export interface MemoryFigures {
  step: string
  /** Heap used after each round, in bytes. */
  heaps: number[]
  warmUpRounds: number
  /** Bytes per round, after the warm-up. */
  trend: number
  /** Requests that failed or answered otherwise than expected, over all rounds. */
  failures: number
  /** The limit the trend is compared with, in bytes per round. */
  limit: number
}

export const clientsPerRound = 100

export async function measureMemory(mongoUrl: string, rounds: number, warmUpRounds: number): Promise<MemoryFigures> {
  const last = listSteps().at(-1)
  if (!last) throw new Error('no steps found')
  const port = await freePort()
  const child = fork(join(rootDir, 'tools', 'maintain', 'bench', 'memory-server.ts'), [], {
    execArgv: ['--expose-gc', '--import', 'tsx'],
    env: {
      ...process.env,
      NODE_ENV: undefined,
      BENCH_STEP_DIR: last.solutionDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      MONGO_URL: mongoUrl,
      SESSION_SECRET: 'the memory benchmark, a secret of forty characters',
      // The figure is memory, not outages: a MongoDB that answers a burst of 100 sessions slowly
      // (the in-memory stand-in on 2 busy cores takes more than the step's 1 s at times) must
      // not turn requests into 503s here.
      MONGO_TIMEOUT_MS: '5000',
    },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  })
  // What the server logs (its errors) is kept, and its first line shown when sessions failed.
  let logged = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    if (logged.length < 10_000) logged += chunk.toString()
  })
  const next = <T extends MemoryMessage['type']>(type: T) =>
    new Promise<Extract<MemoryMessage, { type: T }>>((resolve, reject) => {
      const onMessage = (message: MemoryMessage) => {
        if (message.type !== type) return
        child.off('message', onMessage)
        child.off('exit', onExit)
        resolve(message as Extract<MemoryMessage, { type: T }>)
      }
      const onExit = (code: number | null) => reject(new Error(`the server exited (code ${code}): see above`))
      child.on('message', onMessage)
      child.once('exit', onExit)
    })
  const send = (command: MemoryCommand) => child.send(command)
  try {
    await next('ready')
    const base = () => `http://127.0.0.1:${port}`
    const heaps: number[] = []
    let failures = 0
    for (let round = 0; round < rounds; round++) {
      const lives = await Promise.all(
        Array.from({ length: clientsPerRound }, (_, i) => liveASession(base, `memory-${round}-${i}`, i % 2 === 0)),
      )
      failures += lives.filter(({ ok }) => !ok).length
      const heap = next('heap')
      send({ type: 'heap' })
      heaps.push((await heap).bytes)
    }
    const firstError = logged.split('\n').find((line) => line.trim() !== '')
    if (failures > 0 && firstError) console.log(`    the server logged: ${firstError.trim()}`)
    return {
      step: last.name,
      heaps,
      warmUpRounds,
      trend: trend(heaps.slice(warmUpRounds)),
      failures,
      limit: 250 * 1024,
    }
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve))
    if (child.connected) send({ type: 'stop' })
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000)
    await exited
    clearTimeout(kill)
  }
}

/** Least-squares slope of values against their index. */
export function trend(values: number[]): number {
  const n = values.length
  const meanX = (n - 1) / 2
  const meanY = values.reduce((sum, value) => sum + value, 0) / n
  let numerator = 0
  let denominator = 0
  values.forEach((value, x) => {
    numerator += (x - meanX) * (value - meanY)
    denominator += (x - meanX) ** 2
  })
  return denominator === 0 ? 0 : numerator / denominator
}

/** The figures as Markdown lines for docs/benchmarks.md and the screen. */
export function memoryLines(figures: MemoryFigures): string[] {
  const mb = figures.heaps.map((bytes) => (bytes / 2 ** 20).toFixed(1))
  const kb = Math.round(figures.trend / 1024)
  const verdict = figures.trend < figures.limit ? 'under' : '**over**'
  return [
    `- Heap after each round (MB): ${mb.join(', ')}`,
    `- Trend after ${figures.warmUpRounds} warm-up rounds: ${kb} KB per round, ${verdict} the ${figures.limit / 1024} KB limit (a few hundred bytes kept per request would cross it)`,
    `- Sessions that did not go as expected: ${figures.failures} of ${figures.heaps.length * clientsPerRound}`,
  ]
}
