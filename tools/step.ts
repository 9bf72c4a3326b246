// npm run step N [-- --solution] [-- --poll] [-- --instances K] [-- --host [address]]: runs
// steps/NN/server.ts (or the solution's), restarting it on every save, with MongoDB found by the
// resolver (from step 03 on). With --instances K, K copies run on internal ports behind a
// round-robin balancer on PORT. It listens on 127.0.0.1 (this machine only) unless --host says
// otherwise, as Vite does: --host alone, every interface; --host <address>, that address.
import { parseArgs } from 'node:util'
import { ConnectionString } from 'mongodb-connection-string-url'
import { type Balancer, startBalancer } from './lib/balancer.js'
import { databaseLine, learnerDatabase } from './lib/databases.js'
import { runMain, UserError } from './lib/errors.js'
import { listenForKeys } from './lib/keys.js'
import { type ResolvedMongo, resolveMongo } from './lib/mongo.js'
import { OutageSwitch, outageLines, serveSwitch } from './lib/outage.js'
import {
  freePort,
  isEveryInterface,
  isLoopback,
  type ListenHost,
  listenProblem,
  loopback,
  networkAddresses,
  parsePort,
  urlOf,
} from './lib/ports.js'
import { runServer, type ServerRunner } from './lib/server-runner.js'
import { secretFile, workspaceSecret } from './lib/session-secret.js'
import { ensureStarters } from './lib/starters.js'
import { display, folderOf, listSteps, parseStep } from './lib/steps.js'

runMain(async () => {
  const { values, positionals } = parseCommandLine()
  const steps = listSteps()
  const step = parseStep(positionals[0], steps, 'step')
  // Usually the first command a learner runs: keep the starters before any edit (npm run reset).
  ensureStarters(steps)
  const dir = folderOf(step, values.solution)
  const port = parsePort(process.env.PORT)
  const instances = parseInstances(values.instances, step.number)
  const host = parseHost(values.host)
  await checkPort(port, host, step.number)

  let mongo: ResolvedMongo | undefined
  let outage: OutageSwitch | undefined
  let mongoUrl: string | undefined
  let database = ''
  const env: Record<string, string> = { PORT: String(port) }
  if (step.usesMongo) {
    mongo = await resolveMongo()
    const learner = learnerDatabase(mongo.url)
    mongoUrl = learner.url
    database = databaseLine(learner)
    // The app reaches MongoDB through a proxy of ours, so the o key can cut it off. A replica set
    // is left alone: through one proxy the driver would see one member only.
    outage = isSingleServer(mongoUrl) ? await OutageSwitch.start(mongoUrl) : undefined
    env.MONGO_URL = outage?.url ?? mongoUrl
  }

  console.log(
    `\nStep ${step.number} · ${step.title}  (${display(dir)}${values.solution ? ', the finished solution' : ''})`,
  )
  const names = Array.from({ length: instances }, (_, i) => String.fromCharCode(97 + i))
  const ports = instances === 1 ? [port] : await Promise.all(names.map(() => freePort()))
  // localhost, as the lessons write it: a browser keeps cookies for localhost and 127.0.0.1 apart.
  const app =
    host === null || host === loopback || isEveryInterface(host) ? `http://localhost:${port}` : urlOf(host, port)
  if (instances > 1) {
    for (const [i, name] of names.entries()) console.log(`  instance ${name} → http://127.0.0.1:${ports[i]}`)
    console.log(`  App:      ${app} (round robin over ${instances} instances)`)
  } else {
    console.log(`  App:      ${app}`)
  }
  console.log(`  Listens:  ${whereItListens(host, port, step.number)}`)
  const secret = sharedSecret(host, instances)
  if (secret) console.log(`  Secret:   ${secret.line}`)
  if (mongo && mongoUrl) console.log(`  MongoDB:  ${mongo.description}, ${database}`)
  else console.log('  MongoDB:  not used yet (from step 3 on)')
  console.log(`  Check it: npm run check ${step.number}${values.solution ? ' -- --solution' : ''}`)
  console.log(`  Watching ${display(dir)}: save a file and the server restarts. Ctrl+C stops.`)
  if (outage)
    console.log("  Keys:     o cuts MongoDB off, then makes it hang, then brings it back (guided mode's o too)")
  console.log('')
  const control = outage ? await serveSwitch(outage) : undefined

  let balancer: Balancer | undefined
  if (instances > 1) balancer = await startBalancer(port, ports, { host })

  return new Promise<number>((resolve) => {
    const runners: ServerRunner[] = names.map((name, i) =>
      runServer({
        dir,
        env: { ...env, ...secret?.env, PORT: String(ports[i]), ...(instances > 1 ? { INSTANCE: name } : {}) },
        // Behind the balancer, each instance listens on this machine only.
        host: instances > 1 ? loopback : host,
        poll: values.poll,
        onEvent: (event) => {
          const who = instances > 1 ? `instance ${name}: ` : ''
          if (event.type === 'restarting') console.log(`\n↻ ${who}${display(event.file)} changed: restarting…`)
          if (event.type !== 'exited') return
          const how = event.code !== null ? `exit code ${event.code}` : `signal ${event.signal}`
          if (!event.listened && event.firstRun) {
            console.error(
              `\n🚨 ${who}The server in ${display(dir)} did not start (${how}): fix what it printed above, then run npm run step ${step.number} again.`,
            )
            void finish(1)
          } else {
            console.error(
              `\n🚨 ${who}The server stopped (${how}). Fix what it printed above and save: it restarts by itself. Ctrl+C quits.`,
            )
          }
        },
      }),
    )
    // Keys, when there is a terminal or a pipe: o switches the outage. The end of input only ends the keys.
    const keys = outage
      ? listenForKeys(
          process.stdin,
          (key) => {
            if (key === 'q') void finish(0)
            else if (key === 'o' && outage) console.log(`\n⚡ ${outageLines[outage.next()]}`)
          },
          () => keys?.close(),
        )
      : undefined
    let finishing = false
    async function finish(code: number, graceMs = 0) {
      if (finishing) return
      finishing = true
      keys?.close()
      // The servers first: one that ends by itself from now on is not reported as a crash.
      const stopped = Promise.all(runners.map((runner) => runner.stop(graceMs)))
      await control?.stop()
      await balancer?.close()
      await stopped
      await outage?.close()
      await mongo?.stop()
      resolve(code)
    }
    // On Windows a SIGINT (or SIGBREAK) comes only from the console's Ctrl+C (Ctrl+Break), which
    // every process of the console gets, the servers too: they have time to stop by themselves,
    // since stopping them from here can only terminate them. Elsewhere they are sent SIGTERM.
    const grace = process.platform === 'win32' ? 3000 : 0
    for (const signal of ['SIGINT', 'SIGBREAK'] as const) process.once(signal, () => void finish(0, grace))
    process.once('SIGTERM', () => void finish(0))
  })
})

/** --instances K: 1 to 9 copies of the server (named a, b, c, …). */
function parseInstances(value: string | undefined, stepNumber: number): number {
  if (value === undefined) return 1
  const count = Number(value)
  if (!Number.isInteger(count) || count < 1 || count > 9) {
    throw new UserError(
      `--instances takes a whole number from 1 to 9, not "${value}": for example \`npm run step ${stepNumber} -- --instances 3\`.`,
    )
  }
  return count
}

function parseCommandLine() {
  try {
    return parseArgs({
      args: hostWithValue(process.argv.slice(2)),
      options: {
        solution: { type: 'boolean', default: false },
        poll: { type: 'boolean', default: false },
        instances: { type: 'string' },
        host: { type: 'string' },
      },
      allowPositionals: true,
    })
  } catch (error) {
    throw new UserError(
      `${(error as Error).message}: the options are --solution, --poll, --instances K and --host [address], as in \`npm run step 3 -- --solution\`.`,
    )
  }
}

/**
 * `--host` may come without a value (every interface), which parseArgs does not allow: it gets an
 * empty one. What follows it is its value unless it is an option or a step number.
 */
function hostWithValue(args: string[]): string[] {
  return args.map((arg, i) => {
    const value = args[i + 1]
    return arg === '--host' && (value === undefined || value.startsWith('-') || /^\d+$/.test(value)) ? '--host=' : arg
  })
}

/** No --host: 127.0.0.1; --host alone: every interface (null); --host <address>: that address. */
function parseHost(value: string | undefined): ListenHost {
  if (value === undefined) return loopback
  return value.trim() === '' ? null : value.trim()
}

/** Stops before anything starts when the port is taken, or when --host names no address of this machine. */
async function checkPort(port: number, host: ListenHost, stepNumber: number): Promise<void> {
  const problem = await listenProblem(port, host)
  if (problem === undefined) return
  if (host !== null && ['EADDRNOTAVAIL', 'ENOTFOUND', 'EAI_AGAIN', 'EINVAL'].includes(problem)) {
    const addresses = networkAddresses()
    throw new UserError(
      `--host ${host} is not an address of this machine: use ${addresses.length ? `one of ${addresses.join(', ')}` : '127.0.0.1'}, or \`--host\` alone for every interface, as in \`npm run step ${stepNumber} -- --host\`.`,
    )
  }
  throw new UserError(
    `Port ${port} is already in use (another \`npm run step\`?): stop that program, or choose another port, e.g. PORT=4001 npm run step ${stepNumber}.`,
  )
}

/** The start-up line that says who can reach the app. */
function whereItListens(host: ListenHost, port: number, stepNumber: number): string {
  if (isLoopback(host)) {
    return `${host} only, this machine; \`npm run step ${stepNumber} -- --host\` lets other machines on your network in`
  }
  if (isEveryInterface(host)) {
    const urls = networkAddresses().map((address) => urlOf(address, port))
    return `every interface: anyone on your network can reach it${urls.length ? ` (${urls.join(', ')})` : ''}`
  }
  return `${host} only: anyone on that network can reach it`
}

/**
 * SESSION_SECRET for an app reachable from more than one loopback instance (several instances, or
 * --host) when none is set: the workspace's random one, rather than the steps' public default.
 */
function sharedSecret(
  host: ListenHost,
  instances: number,
): { env: { SESSION_SECRET: string }; line: string } | undefined {
  if (process.env.SESSION_SECRET?.trim()) return undefined
  const open = !isLoopback(host)
  if (!open && instances === 1) return undefined
  const why = open ? 'other machines can reach the app' : `${instances} instances must sign alike`
  return {
    env: { SESSION_SECRET: workspaceSecret() },
    line: `SESSION_SECRET is unset and ${why}: a random secret kept in ${display(secretFile())}, the same after a restart`,
  }
}

/** One server, not a replica set or an SRV name: what a single proxy can stand in front of. */
function isSingleServer(url: string): boolean {
  const parsed = new ConnectionString(url)
  return !parsed.isSRV && parsed.hosts.length === 1 && !parsed.searchParams.has('replicaSet')
}
