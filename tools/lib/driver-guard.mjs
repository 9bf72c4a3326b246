// Works around a mongodb driver hang that the workshop's own outage proxy sets off
// (docs/driver-lost-after-outage.md, which also says why the check workers need no guard). Loaded
// with node --import into the servers the runner starts with a MongoDB, behind its outage switch,
// and into the servers tests start with one. Plain JavaScript: it loads before TypeScript does.
//
// When a peer closes a connection, Node.js destroys the socket first and emits 'close' later, in
// the event loop's close phase. A command the driver writes in between (Connection.writeCommand)
// gets false from socket.write() and then waits for a 'drain' or an 'error' that a destroyed socket
// never emits, whatever socketTimeoutMS says. When that command is the monitor's heartbeat, the
// monitor never checks the server again. The proxy's cut closes every connection in the same
// instant, oldest (the monitor's) first, which is what lands a command in that gap; the guard makes
// such a write fail at once with the MongoNetworkError the driver raises for a closed connection.
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
/** The same mark as any other copy of this guard, so the driver is never wrapped twice. */
const marker = Symbol.for('guardDestroyedSocketWrites')

/**
 * Wraps Connection.prototype.writeCommand, a private method of the driver, so it first checks that
 * the method is there. Returns whether the driver is guarded.
 */
function guardDestroyedSocketWrites() {
  let proto
  let MongoNetworkError
  try {
    proto = require('mongodb/lib/cmap/connection.js').Connection?.prototype
    MongoNetworkError = require('mongodb').MongoNetworkError
  } catch {
    return false
  }
  const original = proto?.writeCommand
  if (typeof original !== 'function' || typeof MongoNetworkError !== 'function') return false
  if (original[marker]) return true

  /** @this {{ id: unknown, address: string, socket: import('node:net').Socket, onError(error: Error): void }} */
  const guarded = function writeCommand(command, options) {
    const socket = this.socket
    const closed = () => new MongoNetworkError(`connection ${String(this.id)} to ${this.address} closed`)
    if (socket.destroyed) {
      const error = closed()
      this.onError(error) // the connection is closed now, not at the socket's later 'close'
      return Promise.reject(error)
    }
    const written = original.call(this, command, options)
    return new Promise((resolve, reject) => {
      const onClose = () => reject(closed()) // the socket went away while the write waited for 'drain'
      socket.once('close', onClose)
      written.then(resolve, reject).finally(() => socket.off('close', onClose))
    })
  }
  guarded[marker] = true
  proto.writeCommand = guarded
  return true
}

/** Whether this process's mongodb driver is guarded (false: its internals are not as expected). */
export const driverGuarded = guardDestroyedSocketWrites()
