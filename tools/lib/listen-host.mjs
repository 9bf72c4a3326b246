// Loaded first into every server that `npm run step` runs (node --import): a listen() that names a
// port but no host listens on HOST instead of on every interface. So a step's server stays where
// the runner put it (127.0.0.1, this machine only, unless --host), whether or not its code reads
// HOST yet. Plain JavaScript: it loads before TypeScript does.
import { Server } from 'node:net'

const host = process.env.HOST?.trim()
if (host) {
  const listen = Server.prototype.listen
  Server.prototype.listen = function listenOnHost(...args) {
    return listen.apply(this, withHost(args, host))
  }
}

/**
 * listen()'s arguments with host added when they name a TCP port (or none: any free port) and no
 * host. A pipe path, a handle, a file descriptor or a host of their own are left as they are.
 */
function withHost(args, host) {
  const [first, ...rest] = args
  if (first !== null && typeof first === 'object') {
    const tcp = !('path' in first || 'fd' in first || 'handle' in first || '_handle' in first)
    return tcp && first.host === undefined ? [{ ...first, host }, ...rest] : args
  }
  // A string that is not a number is a pipe or a Unix socket path.
  if (typeof first === 'string' && !/^\s*\d+\s*$/.test(first)) return args
  if (typeof first === 'number' || typeof first === 'string') {
    return typeof rest[0] === 'string' ? args : [first, host, ...rest]
  }
  // listen(), listen(callback), listen(undefined, …): any free port, as without a host.
  return [0, host, ...(first === undefined || first === null ? rest : args)]
}
