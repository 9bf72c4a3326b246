// `npm run demo` without the command line: the finished workshop server as child processes on
// internal ports (one, or several behind a round-robin balancer), and the inspector (page + proxy)
// on the public one. Tests start it in-process.
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import { Writable } from 'node:stream'
import type { MongoClientOptions } from 'mongodb'
import { type Balancer, startBalancer } from '../lib/balancer.js'
import { articleDatabase, learnerDatabaseName } from '../lib/databases.js'
import { UserError } from '../lib/errors.js'
import { databaseOf, defaultDatabase } from '../lib/mongo.js'
import { OutageSwitch } from '../lib/outage.js'
import { freePort } from '../lib/ports.js'
import { display, type Step } from '../lib/steps.js'
import { actionsFor } from './actions.js'
import { AppGroup } from './app-group.js'
import { clearSessions } from './clear.js'
import { SessionReader } from './reader.js'
import { createInspector, inspectorPath } from './server.js'

export interface DemoOptions {
  step: Step
  /** The inspector's port; the workshop server gets a free one of its own. */
  port: number
  /** Loopback only by default: the page shows every session in the database. */
  host?: string
  /** A connection string that names the database (npm run demo uses its own, databases.ts): the app writes there, the page shows it. */
  mongoUrl: string
  /**
   * Whether the page's clear button may delete the sessions of that database. By default only when
   * it is not test-app, the database `npm run step` keeps the learner's own sessions in.
   */
  clearable?: boolean
  /** How many instances of the server run behind a round-robin balancer (default 1: no balancer). */
  instances?: number
  /** For tests: options of the inspector's own MongoClient (e.g. monitorCommands). */
  readerOptions?: MongoClientOptions
  /** Where the workshop server's output goes, each line prefixed. */
  output?: NodeJS.WritableStream
}

export interface Demo {
  /** The inspector page. */
  url: string
  /** Where the instances listen, on 127.0.0.1, named a, b, c… when there are several. */
  appPorts: number[]
  /** The round-robin balancer in front of several instances (none for one). */
  balancerPort: number | null
  /** Whether the page's clear button deletes sessions (see DemoOptions.clearable). */
  clearable: boolean
  app: AppGroup
  reader: SessionReader
  stop(): Promise<void>
}

export async function startDemo(options: DemoOptions): Promise<Demo> {
  const { step } = options
  const host = options.host ?? '127.0.0.1'
  const count = options.instances ?? 1
  const database = databaseOf(options.mongoUrl) ?? defaultDatabase
  // One server keeps its own default name (X-Instance: the machine's name), as `npm run step` does.
  const names = count === 1 ? [null] : Array.from({ length: count }, (_, i) => String.fromCharCode(97 + i))
  const appPorts: number[] = []
  for (const _ of names) appPorts.push(await freePort())
  const output = options.output ?? process.stdout
  // The app reaches MongoDB through a proxy the inspector's button can cut; the inspector itself
  // reads MongoDB directly, so the page still shows the sessions while the app cannot reach them.
  const outage = await OutageSwitch.start(options.mongoUrl)
  // The page lists every session id: with a secret nobody else knows (new each run), an id alone
  // cannot be turned into a cookie. Every instance gets the same one, or their cookies would not verify.
  const secret = randomBytes(32).toString('base64url')
  const app = new AppGroup(names, (name, index) => ({
    dir: step.solutionDir,
    env: {
      PORT: String(appPorts[index]),
      MONGO_URL: outage.url,
      SESSION_SECRET: secret,
      HOST: '127.0.0.1', // this machine only: the inspector (or the balancer) is the way in
      ...(name ? { INSTANCE: name } : {}),
    },
    output: { stdout: prefixed(output, appPrefix(name)), stderr: prefixed(output, appPrefix(name)) },
  }))
  app.start()
  try {
    await app.readyAll(30_000)
  } catch (error) {
    await app.stop()
    await outage.close()
    const reason = error instanceof Error ? error.message : String(error)
    throw new UserError(
      `The finished server in ${display(step.solutionDir)} did not start (${reason}): run \`npm run step ${step.number} -- --solution\` to see why.`,
    )
  }

  let balancer: Balancer | null = null
  if (count > 1) {
    // Port 0: any free one; the inspector's proxy is the client it is there for.
    balancer = await startBalancer(0, appPorts).catch(async (error: unknown) => {
      await app.stop()
      await outage.close()
      throw error
    })
  }

  const reader = new SessionReader(options.mongoUrl, database, options.readerOptions)
  const clearable = options.clearable ?? ownsDatabase(database)
  const inspector = createInspector({
    reader,
    app,
    appPort: balancer?.port ?? appPorts[0] ?? 0,
    instances: count,
    step: { number: step.number, title: step.title, folder: display(step.solutionDir) },
    actions: actionsFor(step.number),
    outage,
    clear: clearable ? () => clearSessions(options.mongoUrl, database) : undefined,
  })
  const server = createServer(inspector)
  const stopAll = async () => {
    await balancer?.close()
    await app.stop()
    await reader.close()
    await outage.close()
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, host, resolve)
  }).catch(async (error: unknown) => {
    await stopAll()
    throw new UserError(
      `The inspector cannot listen on port ${options.port} (${error instanceof Error ? error.message : String(error)}): choose another one, e.g. PORT=4001 npm run demo.`,
    )
  })

  const shown = host === '127.0.0.1' ? 'localhost' : host
  return {
    url: `http://${shown}:${options.port}${inspectorPath}/`,
    appPorts,
    balancerPort: balancer?.port ?? null,
    clearable,
    app,
    reader,
    stop: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
      await stopAll()
    },
  }
}

/**
 * Whether the demo may empty this database: not the article's test-app nor the learner's own
 * (databases.ts), where `npm run step` keeps sessions.
 */
export function ownsDatabase(database: string): boolean {
  return database !== articleDatabase && database !== learnerDatabaseName().database
}

/** "  app │ " for one server, "  app b │ " for instance b. */
function appPrefix(name: string | null): string {
  return name ? `  app ${name} │ ` : '  app │ '
}

/** A stream that writes each line to target with a prefix, so the app's output stands apart. */
function prefixed(target: NodeJS.WritableStream, prefix: string): Writable {
  let pending = ''
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      pending += chunk.toString()
      const lines = pending.split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) target.write(`${prefix}${line}\n`)
      done()
    },
  })
}
