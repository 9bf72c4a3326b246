// Given, not a task: a workaround for a mongodb driver (7.9.0) hang, until the driver fixes it
// (docs/driver-lost-after-outage.md tells the whole story).
//
// When the server (or a proxy, or a load balancer) closes a connection, Node.js destroys the socket
// first and emits its 'close' event later (one or more event-loop turns). Until 'close', the
// driver's Connection still says `closed === false`. A command written in that window goes to
// Connection.writeCommand, where socket.write() on the destroyed socket returns false, and the
// driver then waits for a 'drain' (or 'error') that a destroyed socket never emits: the command
// never settles, and no socketTimeoutMS/connectTimeoutMS applies (setTimeout is a no-op on a
// destroyed socket). When that command is the monitor's heartbeat, the monitor stays "in progress"
// for ever, ignores every requestCheck, and the server stays Unknown: the client never reconnects.
//
// This guard makes such a write fail at once with a MongoNetworkError (the error the driver would
// have raised had 'close' come first), and fails a pending write when its socket closes. It patches
// one method of a private class, so it checks that the method is there and does nothing otherwise.
import { createRequire } from 'node:module'
import { MongoNetworkError } from 'mongodb'

const require = createRequire(import.meta.url)
const marker = Symbol.for('guardDestroyedSocketWrites')

type WriteCommand = (this: GuardedConnection, command: unknown, options: unknown) => Promise<void>
interface GuardedConnection {
  id: unknown
  address: string
  socket: import('node:net').Socket
  onError(error: Error): void
}

/** Installs the guard once per process. Returns false when the driver's internals are not as expected. */
export function guardDestroyedSocketWrites(): boolean {
  let proto: { writeCommand?: WriteCommand & { [marker]?: true } } | undefined
  try {
    proto = require('mongodb/lib/cmap/connection.js').Connection?.prototype
  } catch {
    return false
  }
  const original = proto?.writeCommand
  if (!proto || typeof original !== 'function') return false
  if (original[marker]) return true

  const guarded: WriteCommand & { [marker]?: true } = function (command, options) {
    const socket = this.socket
    const closed = () => new MongoNetworkError(`connection ${String(this.id)} to ${this.address} closed`)
    if (socket.destroyed) {
      const error = closed()
      this.onError(error) // the connection is closed now, not at the socket's later 'close'
      return Promise.reject(error)
    }
    const written = original.call(this, command, options)
    return new Promise<void>((resolve, reject) => {
      const onClose = () => reject(closed()) // the socket went away while the write waited for 'drain'
      socket.once('close', onClose)
      written.then(resolve, reject).finally(() => socket.off('close', onClose))
    })
  }
  guarded[marker] = true
  proto.writeCommand = guarded
  return true
}
