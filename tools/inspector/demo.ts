// `npm run demo` without the command line: the finished workshop server as a child process on an
// internal port, and the inspector (page + proxy) on the public one. Tests start it in-process.
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import { Writable } from 'node:stream'
import type { MongoClientOptions } from 'mongodb'
import { UserError } from '../lib/errors.js'
import { databaseOf, defaultDatabase } from '../lib/mongo.js'
import { freePort } from '../lib/ports.js'
import { OutageSwitch } from '../lib/outage.js'
import { display, type Step } from '../lib/steps.js'
import { actionsFor } from './actions.js'
import { AppProcess } from './app-process.js'
import { SessionReader } from './reader.js'
import { createInspector, inspectorPath } from './server.js'

export interface DemoOptions {
  step: Step
  /** The inspector's port; the workshop server gets a free one of its own. */
  port: number
  /** Loopback only by default: the page shows every session in the database. */
  host?: string
  /** A connection string that names the database (npm run demo uses its own, databases.ts). */
  mongoUrl: string
  /** For tests: options of the inspector's own MongoClient (e.g. monitorCommands). */
  readerOptions?: MongoClientOptions
  /** Where the workshop server's output goes, each line prefixed. */
  output?: NodeJS.WritableStream
}

export interface Demo {
  /** The inspector page. */
  url: string
  appPort: number
  app: AppProcess
  reader: SessionReader
  stop(): Promise<void>
}

export async function startDemo(options: DemoOptions): Promise<Demo> {
  const { step } = options
  const host = options.host ?? '127.0.0.1'
  const appPort = await freePort()
  const output = options.output ?? process.stdout
  // The app reaches MongoDB through a proxy the inspector's button can cut; the inspector itself
  // reads MongoDB directly, so the page still shows the sessions while the app cannot reach them.
  const outage = await OutageSwitch.start(options.mongoUrl)
  const app = new AppProcess({
    dir: step.solutionDir,
    env: {
      PORT: String(appPort),
      MONGO_URL: outage.url,
      // The page lists every session id: with a secret nobody else knows (new each run), an id alone
      // cannot be turned into a cookie; and the app listens on this machine only.
      SESSION_SECRET: randomBytes(32).toString('base64url'),
      HOST: '127.0.0.1',
    },
    output: { stdout: prefixed(output, '  app │ '), stderr: prefixed(output, '  app │ ') },
  })
  app.start()
  try {
    await app.ready(30_000)
  } catch (error) {
    await app.stop()
    await outage.close()
    const reason = error instanceof Error ? error.message : String(error)
    throw new UserError(
      `The finished server in ${display(step.solutionDir)} did not start (${reason}): run \`npm run step ${step.number} -- --solution\` to see why.`,
    )
  }

  const reader = new SessionReader(
    options.mongoUrl,
    databaseOf(options.mongoUrl) ?? defaultDatabase,
    options.readerOptions,
  )
  const inspector = createInspector({
    reader,
    app,
    appPort,
    step: { number: step.number, title: step.title, folder: display(step.solutionDir) },
    actions: actionsFor(step.number),
    outage,
  })
  const server = createServer(inspector)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, host, resolve)
  }).catch(async (error: unknown) => {
    await app.stop()
    await reader.close()
    await outage.close()
    throw new UserError(
      `The inspector cannot listen on port ${options.port} (${error instanceof Error ? error.message : String(error)}): choose another one, e.g. PORT=4001 npm run demo.`,
    )
  })

  const shown = host === '127.0.0.1' ? 'localhost' : host
  return {
    url: `http://${shown}:${options.port}${inspectorPath}/`,
    appPort,
    app,
    reader,
    stop: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
      await app.stop()
      await reader.close()
      await outage.close()
    },
  }
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
