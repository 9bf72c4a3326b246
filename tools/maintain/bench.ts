// npm run bench [-- --quick [--write]]: what a session store costs. Runs the server in several session
// configurations under HTTP load (autocannon), counts MongoDB writes per request, measures whether
// the finished server's heap settles across rounds of sessions (bench/memory.ts), prints a table
// and, after a full run (or with --write), writes docs/benchmarks.md. Ratios to MemoryStore travel
// between machines; absolute figures do not.
// npm run bench -- --feedback [--samples N] [--steps 2,5] [--root DIR] [--write]: how long a learner
// waits for verdicts (bench/feedback.ts), as ratios to a bare vitest run; --write: docs/feedback.md.
import { type ChildProcess, fork } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { MongoClient } from 'mongodb'
import { runMain, UserError } from '../lib/errors.js'
import { resolveMongo, withDatabase } from '../lib/mongo.js'
import { rootDir } from '../lib/steps.js'
import { feedbackTable, measureFeedback, stepNames } from './bench/feedback.js'
import { clientsPerRound, type MemoryFigures, measureMemory, memoryLines } from './bench/memory.js'
import { type BenchOptions, parseBenchOptions } from './bench/options.js'
import { type Scenario, scenarios } from './bench/scenarios.js'
import type { BenchCommand, BenchMessage } from './bench/server.js'

interface Row {
  scenario: Scenario
  requestsPerSecond: number
  p50: number
  p99: number
  writesPerRequest: number
  requests: number
  failures: number
}

const sessionsPerRun = 100
const connections = 20

runMain(async () => {
  const options = parseBenchOptions(process.argv.slice(2))
  if (options.feedback) return feedback(options)
  const { quick, seconds, write } = options
  const mongo = await resolveMongo()
  const database = `bench-${randomUUID().slice(0, 8)}`
  const mongoUrl = withDatabase(mongo.url, database)
  const server = await describeServer(mongoUrl)
  console.log(
    `Benchmark: ${scenarios.length} configurations, ${seconds} s each, ${connections} connections, MongoDB ${server}`,
  )

  const rows: Row[] = []
  let memory: MemoryFigures
  try {
    for (const scenario of scenarios) {
      process.stdout.write(`  ${scenario.name}… `)
      const row = await measure(scenario, mongoUrl, seconds)
      rows.push(row)
      console.log(`${Math.round(row.requestsPerSecond)} req/s, ${row.writesPerRequest.toFixed(2)} writes/request`)
    }
    const [rounds, warmUp] = quick ? [6, 3] : [12, 6]
    console.log(`  memory: ${rounds} rounds of ${clientsPerRound} sessions against the finished server…`)
    memory = await measureMemory(mongoUrl, rounds, warmUp)
  } finally {
    await dropDatabase(mongoUrl)
    await mongo.stop()
  }

  const table = renderTable(rows)
  console.log(`\n${table}\n\nMemory (${memory.step}):\n${memoryLines(memory).join('\n')}`)
  if (write) {
    mkdirSync(join(rootDir, 'docs'), { recursive: true })
    writeFileSync(
      join(rootDir, 'docs', 'benchmarks.md'),
      renderDocument(table, rows, memory, { seconds, server, quick }),
    )
    console.log(`\nWritten to docs/benchmarks.md`)
  } else {
    console.log('\nA quick run: docs/benchmarks.md is left as it is (`npm run bench -- --quick --write` writes it).')
  }
  const failures = rows.reduce((sum, row) => sum + row.failures, 0) + memory.failures
  if (failures > 0) {
    throw new UserError(
      `${failures} requests failed during the benchmark: the figures above are not trustworthy; run npm run bench again.`,
    )
  }
  return 0
})

async function feedback(options: BenchOptions): Promise<number> {
  const root = options.root ?? rootDir
  // The commands it runs find MongoDB as a learner's would: found once here and handed to them.
  const mongo = await resolveMongo()
  process.env.MONGO_URL = mongo.url
  const count = stepNames(root).length
  const guidedSteps = options.steps.length > 0 ? options.steps : Array.from({ length: count }, (_, i) => i + 1)
  console.log(
    `Feedback benchmark: ${root}, ${options.samples} samples, ${cpus().length} cores, MongoDB ${mongo.description}`,
  )
  try {
    const rows = await measureFeedback({
      root,
      samples: options.samples,
      guidedSteps,
      log: (line) => console.log(line),
    })
    const table = feedbackTable(rows)
    console.log(`\n${table}`)
    if (options.write) {
      const when = new Date().toISOString().slice(0, 10)
      const server = await describeServer(mongo.url)
      const text = `# How long a learner waits\n\nWritten by \`npm run bench -- --feedback --write\` on ${when}: ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GB, Node.js ${process.version}, MongoDB: ${server} at ${mongo.description}. Medians of ${options.samples} samples; each ratio is a command's time over a bare \`vitest run\` of one trivial test measured right before it.\n\n${table}\n`
      writeFileSync(join(rootDir, 'docs', 'feedback.md'), text)
      console.log('\nWritten to docs/feedback.md')
    }
    return rows.some((row) => row.meets === false) ? 1 : 0
  } finally {
    await mongo.stop()
  }
}

async function measure(scenario: Scenario, mongoUrl: string, seconds: number): Promise<Row> {
  const child = fork(join(rootDir, 'tools', 'maintain', 'bench', 'server.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_SCENARIO: JSON.stringify(scenario), MONGO_URL: mongoUrl },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  try {
    const { port } = await next(child, 'ready')
    const base = `http://127.0.0.1:${port}`
    const cookies = scenario.traffic === 'users' ? await logIn(base, sessionsPerRun) : []
    // Warm up (JIT, connection pool), then count from zero.
    await load(base, scenario, cookies, 1)
    await ask(child, { type: 'reset' })
    const result = await load(base, scenario, cookies, seconds)
    const counts = await ask(child, { type: 'counts' })
    const requests = result['2xx'] + result.non2xx
    return {
      scenario,
      requestsPerSecond: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      writesPerRequest: requests > 0 ? counts.writes / requests : 0,
      requests,
      failures: result.non2xx + result.errors,
    }
  } finally {
    child.send({ type: 'stop' } satisfies BenchCommand)
    await new Promise((resolve) => child.once('exit', resolve))
  }
}

/** Logs n users in and returns their cookies. */
async function logIn(base: string, n: number): Promise<string[]> {
  const cookies: string[] = []
  for (let i = 0; i < n; i++) {
    const response = await fetch(`${base}/login`, { method: 'POST' })
    const cookie = response.headers.get('set-cookie')?.split(';')[0]
    if (!response.ok || !cookie)
      throw new UserError(
        `The bench server did not log in (HTTP ${response.status}): run npm run check 6 -- --solution to see what is wrong.`,
      )
    cookies.push(cookie)
  }
  return cookies
}

function load(base: string, scenario: Scenario, cookies: string[], seconds: number): Promise<autocannon.Result> {
  let turn = 0
  return autocannon({
    url: base,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'GET',
        path: scenario.traffic === 'users' ? '/me' : '/page',
        // Each request carries the next user's cookie, round robin; anonymous traffic carries none.
        setupRequest: (request) => {
          const cookie = cookies[turn++ % Math.max(cookies.length, 1)]
          return cookie ? { ...request, headers: { ...request.headers, cookie } } : request
        },
      },
    ],
  })
}

function next<T extends BenchMessage['type']>(
  child: ChildProcess,
  type: T,
): Promise<Extract<BenchMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: BenchMessage) => {
      if (message.type !== type) return
      child.off('exit', onExit)
      child.off('message', onMessage)
      resolve(message as Extract<BenchMessage, { type: T }>)
    }
    const onExit = (code: number | null) =>
      reject(new UserError(`The bench server exited (code ${code}) before it was ready: see its output above.`))
    child.on('message', onMessage)
    child.once('exit', onExit)
  })
}

function ask(child: ChildProcess, command: BenchCommand) {
  const answer = next(child, 'counts')
  child.send(command)
  return answer
}

async function describeServer(url: string): Promise<string> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 3000 })
  try {
    const info = await client.db('admin').command({ buildInfo: 1 })
    // mongod reports its git commit; mongo-java-server (the CI stand-in) does not.
    return info.gitVersion
      ? `mongod ${String(info.version)}`
      : `mongo-java-server (in-memory, reports ${String(info.version)})`
  } finally {
    await client.close()
  }
}

async function dropDatabase(url: string): Promise<void> {
  const client = new MongoClient(url)
  try {
    await client.db().dropDatabase()
  } finally {
    await client.close()
  }
}

function renderTable(rows: Row[]): string {
  const memory = rows.find((row) => row.scenario.store === 'memory')?.requestsPerSecond ?? 1
  const header = ['configuration', 'req/s', 'vs MemoryStore', 'p50 ms', 'p99 ms', 'MongoDB writes/request']
  const lines = rows.map((row) => [
    row.scenario.name,
    String(Math.round(row.requestsPerSecond)),
    `${((row.requestsPerSecond / memory) * 100).toFixed(0)} %`,
    String(row.p50),
    String(row.p99),
    row.writesPerRequest.toFixed(2),
  ])
  return [header, header.map(() => '---'), ...lines].map((cells) => `| ${cells.join(' | ')} |`).join('\n')
}

function renderDocument(
  table: string,
  rows: Row[],
  memory: MemoryFigures,
  run: { seconds: number; server: string; quick: boolean },
): string {
  const cpu = cpus()
  const notes = rows.map((row) => `- **${row.scenario.name}**: ${row.scenario.note}.`).join('\n')
  return `# What a session store costs

Measured with \`npm run bench${run.quick ? ' -- --quick' : ''}\` on ${new Date().toISOString().slice(0, 10)}.
Absolute figures depend on the machine; compare the ratios and the writes per request.

- Machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node.js ${process.version}, ${process.platform}
- MongoDB: ${run.server}
- Load: autocannon, ${connections} connections, ${run.seconds} s per configuration after a 1 s warm-up.
  "users" rows: ${sessionsPerRun} logged-in sessions, every request \`GET /me\` with one of their cookies.
  "anonymous" rows: \`GET /page\` without a cookie, as crawlers and health checks send.
- Writes: insert, update, delete and findAndModify commands the store sent, counted with the
  driver's command monitoring, divided by the requests answered.

${table}

${notes}

## Memory

Does the finished server (\`solutions/${memory.step}\`) keep what it no longer needs? Rounds of
${clientsPerRound} clients at once, each living a whole session (log in, \`GET /me\` three times, half
of them log out), against that server in a process of its own, with \`MONGO_TIMEOUT_MS=5000\` (the figure is memory, not
outages); after each round, its heap after a full garbage collection. The first rounds warm up
(JIT, connection pools, caches), then the heap should level off.

${memoryLines(memory).join('\n')}
`
}
