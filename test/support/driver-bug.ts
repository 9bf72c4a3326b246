// The mongodb driver bug that tools/lib/driver-guard.mjs works around, made certain instead of a
// race (see docs/driver-lost-after-outage.md): a command written in the moment between Node.js
// destroying a socket the server closed and that socket's 'close' event never settles. The proxy
// only gives the connection a FIN from the server's side; private fields of the driver are used
// only to pick that moment. Prints one line of JSON: what became of the command.
//   node tools/lib/run-ts.mjs test/support/driver-bug.ts <mongo url> [guard]
import { MongoClient } from 'mongodb'
import { mongoTarget, startTcpProxy, throughProxy } from '../../tools/lib/tcp-proxy.js'

const [url = '', guard] = process.argv.slice(2)
if (guard === 'guard') await import('../../tools/lib/driver-guard.mjs')
const proxy = await startTcpProxy(mongoTarget(url))
const client = new MongoClient(throughProxy(url, proxy), {
  serverSelectionTimeoutMS: 2000,
  socketTimeoutMS: 1000,
  waitQueueTimeoutMS: 1500,
  maxPoolSize: 1,
})
await client.connect()
const admin = client.db('admin')
await admin.command({ ping: 1 }) // one pooled connection

interface Internals {
  topology: { s: { servers: Map<string, { pool: { connections: Set<{ socket: import('node:net').Socket }> } }> } }
}
const server = [...(client as unknown as Internals).topology.s.servers.values()][0]
const connection = [...(server?.pool.connections ?? [])][0]
if (!connection) throw new Error('no pooled connection')
const began = Date.now()
const outcome = new Promise<string>((resolve) => {
  connection.socket.once('finish', () =>
    queueMicrotask(() => {
      admin.command({ ping: 1 }).then(
        () => resolve('succeeded'),
        (error: Error) => resolve(`failed: ${error.name}`),
      )
    }),
  )
})
proxy.cut() // the server side closes every connection: each socket gets a FIN
const within = (promise: Promise<string>) =>
  Promise.race([promise, new Promise<string>((resolve) => setTimeout(() => resolve('never settled'), 3000))])
const settled = await within(outcome)
const ms = Date.now() - began
proxy.restore()
const after = await within(
  admin.command({ ping: 1 }).then(
    () => 'succeeded',
    (error: Error) => `failed: ${error.name}`,
  ),
)
console.log(JSON.stringify({ settled, ms, after }))
await client.close(true)
await proxy.close()
process.exit(0)
