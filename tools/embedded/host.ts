// The embedded MongoDB's own process, started detached by the first command that needs it
// (tools/lib/embedded.ts): `node tools/lib/run-ts.mjs tools/embedded/host.ts <workshop folder>`.
// It runs mongod through mongodb-memory-server with its data in .workshop/mongodb/data, records in
// .workshop/mongodb/server.json where it listens, and lives until a signal (`npm run db:down`) or
// until mongod ends. mongodb-memory-server's watchdog ends mongod if this process is killed.
import { MongoMemoryServer } from 'mongodb-memory-server'
import { claimState, embeddedPaths, preferredPort, removeState, writeState } from '../lib/embedded.js'

const root = process.argv[2] ?? process.cwd()
const paths = embeddedPaths(root)
const say = (line: string) => console.log(`${new Date().toISOString()} [pid ${process.pid}] ${line}`)

// Another command started a host at the same moment: that one goes on, this one ends.
if (!claimState(paths, { status: 'starting', pid: process.pid })) process.exit(0)

function start(port: number | undefined): Promise<MongoMemoryServer> {
  return MongoMemoryServer.create({
    instance: {
      port,
      ip: '127.0.0.1',
      // On disk, kept when mongod stops: the sessions survive `npm run db:down` and a restart.
      dbPath: paths.data,
      storageEngine: 'wiredTiger',
      // A first start creates its files; on a slow laptop that can take more than the default 10 s.
      launchTimeout: 60_000,
    },
  })
}

let server: MongoMemoryServer
try {
  try {
    server = await start(preferredPort)
  } catch (error) {
    // Taken between the check for a free port and mongod's own bind: any free port will do.
    if (!/already in use/i.test(String(error))) throw error
    say(`port ${preferredPort} was taken: starting on another one`)
    server = await start(undefined)
  }
} catch (error) {
  const problem = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? ''
  say(`mongod did not start: ${problem}`)
  writeState(paths, { status: 'failed', pid: process.pid, problem })
  process.exit(1)
}

const info = server.instanceInfo
const url = `mongodb://127.0.0.1:${info?.port}`
writeState(paths, {
  status: 'ready',
  pid: process.pid,
  mongodPid: info?.instance.mongodProcess?.pid,
  port: info?.port,
  url,
})
say(`mongod (pid ${info?.instance.mongodProcess?.pid}) waits for connections on ${url}, data in ${paths.data}`)

let stopping = false
async function stop(why: string): Promise<void> {
  if (stopping) return
  stopping = true
  say(`${why}: stopping mongod`)
  await server.stop({ doCleanup: false })
  removeState(paths, process.pid)
  say('stopped')
  process.exit(0)
}
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void stop(signal))
// No terminal owns this process; a closing one must not end it.
process.on('SIGHUP', () => {})
info?.instance.mongodProcess?.once('exit', (code, signal) => {
  if (stopping) return
  say(`mongod ended by itself (exit code ${code}, signal ${signal})`)
  removeState(paths, process.pid)
  process.exit(1)
})
// mongodb-memory-server unrefs mongod's process: without this, nothing would keep this one alive.
setInterval(() => {}, 2 ** 31 - 1)
