// A small TCP proxy to put between an app and MongoDB, so a check can cut the database off, or make
// it hang, and bring it back while the app keeps running: what an outage looks like from the app's side.
import { connect, createServer, type Socket } from 'node:net'
import { ConnectionString } from 'mongodb-connection-string-url'

export interface TcpProxy {
  /** The proxy listens on 127.0.0.1 at this port (free, chosen by the operating system). */
  port: number
  /** Connections currently open through the proxy. */
  readonly open: number
  /**
   * The outage: destroys every open connection (both sides) and resets every new one at once,
   * until restore(). The port stays the same, so the app's connection string stays valid.
   */
  cut(): void
  /**
   * The other outage: a database that hangs (a stopped process, a black-holed network). Open
   * connections stay open but no byte moves in either direction; new connections are accepted
   * and then hear nothing. Bytes sent meanwhile wait (in the kernel's socket buffers) until restore().
   */
  hang(): void
  /** The end of the outage, cut or hang: held bytes flow on, new connections reach the target again. */
  restore(): void
  /**
   * A fault at one command: the next message from a client (a MongoDB wire-protocol message, read
   * whole) for which `when` is true never reaches MongoDB, and its connection is cut, both sides.
   * Once; the proxy forwards as before afterwards.
   */
  cutAt(when: (message: Buffer) => boolean): void
  /** Destroys every connection and stops listening. */
  close(): Promise<void>
}

export interface TcpProxyOptions {
  /**
   * Holds every chunk this long before passing it on, in both directions: a MongoDB far away (a
   * cloud cluster on another continent, a classroom server under load). A round trip costs twice this.
   */
  delayMs?: number
  /** What the proxy carries is MongoDB's wire protocol, read message by message: needed for cutAt(). */
  mongodbMessages?: boolean
}

/** Starts a proxy on a free port of 127.0.0.1 that forwards every connection to target. */
export async function startTcpProxy(
  target: { host: string; port: number },
  { delayMs = 0, mongodbMessages = false }: TcpProxyOptions = {},
): Promise<TcpProxy> {
  const sockets = new Set<Socket>()
  /** Each client connection with its upstream, so hang() and restore() can stop and start both directions. */
  const pairs = new Set<readonly [Socket, Socket]>()
  let cut = false
  let hung = false

  const track = (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  }

  // Forwarding on: pipe() puts both sockets in flowing mode. Forwarding off: unpipe() and pause()
  // stop reading, so what either side sends stays in the kernel, unacknowledged by the proxy's
  // reader, exactly as with a process that no longer reads (SIGSTOP).
  // With a delay, each chunk waits delayMs on a timer; timers of the same length fire in the order
  // they were set, so the bytes keep their order.
  const send = (to: Socket, chunk: Buffer) => {
    if (delayMs === 0) to.write(chunk)
    else setTimeout(() => to.destroyed || to.write(chunk), delayMs)
  }
  const relay = (from: Socket, to: Socket) => {
    if (delayMs === 0) from.pipe(to)
    else from.on('data', (chunk: Buffer) => send(to, chunk)).resume()
  }
  // What clients send is read message by message (each starts with its length, an int32), so that
  // cutAt() can stop one command; a message split across chunks waits for its end.
  const partial = new WeakMap<Socket, Buffer>()
  let cutWhen: ((message: Buffer) => boolean) | undefined
  const relayCommands = (client: Socket, upstream: Socket) => {
    client
      .on('data', (chunk: Buffer) => {
        let buffer = Buffer.concat([partial.get(client) ?? Buffer.alloc(0), chunk])
        while (buffer.length >= 4 && buffer.length >= buffer.readInt32LE(0)) {
          const message = buffer.subarray(0, buffer.readInt32LE(0))
          buffer = buffer.subarray(message.length)
          if (cutWhen?.(message)) {
            cutWhen = undefined
            client.destroy()
            upstream.destroy()
            return
          }
          send(upstream, message)
        }
        partial.set(client, buffer)
      })
      .resume()
  }
  const forward = ([client, upstream]: readonly [Socket, Socket]) => {
    if (mongodbMessages) relayCommands(client, upstream)
    else relay(client, upstream)
    relay(upstream, client)
  }
  const hold = ([client, upstream]: readonly [Socket, Socket]) => {
    client.unpipe(upstream)
    upstream.unpipe(client)
    client.removeAllListeners('data')
    upstream.removeAllListeners('data')
    client.pause()
    upstream.pause()
  }

  const server = createServer((client) => {
    client.on('error', () => {}) // a reset client is not the proxy's problem
    if (cut) {
      client.resetAndDestroy()
      return
    }
    const upstream = connect(target.port, target.host)
    const pair = [client, upstream] as const
    track(client)
    track(upstream)
    pairs.add(pair)
    client.once('close', () => pairs.delete(pair))
    // A socket that is neither piped nor resumed reads nothing: while hung, the pair just waits.
    if (!hung) forward(pair)
    // Whichever side fails or ends first takes the other one with it.
    for (const [socket, other] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      socket.on('error', () => other.destroy())
      socket.once('close', () => other.destroy())
    }
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address()
  if (typeof address !== 'object' || !address) throw new Error('the TCP proxy did not get a port')

  const destroyAll = () => {
    for (const socket of sockets) socket.destroy()
    sockets.clear()
    pairs.clear()
  }

  return {
    port: address.port,
    get open() {
      return sockets.size
    },
    cut: () => {
      cut = true
      hung = false
      destroyAll()
    },
    hang: () => {
      if (hung || cut) return
      hung = true
      for (const pair of pairs) hold(pair)
    },
    cutAt: (when) => {
      if (!mongodbMessages) throw new Error('cutAt() needs a proxy started with mongodbMessages: true')
      cutWhen = when
    },
    restore: () => {
      cut = false
      if (!hung) return
      hung = false
      for (const pair of pairs) forward(pair)
    },
    close: () =>
      new Promise<void>((resolve) => {
        cut = true
        hung = false
        destroyAll()
        server.close(() => resolve())
      }),
  }
}

/** The first host of a mongodb:// URL, as a proxy target. mongodb+srv:// names no port to proxy. */
export function mongoTarget(mongoUrl: string): { host: string; port: number } {
  const parsed = new ConnectionString(mongoUrl)
  if (parsed.isSRV)
    throw new Error(`a mongodb+srv:// URL cannot be proxied; use a mongodb://host:port URL (${parsed.hosts.join(',')})`)
  const first = parsed.hosts[0] ?? '127.0.0.1:27017'
  const match = /^\[?(.*?)\]?(?::(\d+))?$/.exec(first)
  return { host: match?.[1] || '127.0.0.1', port: Number(match?.[2] ?? 27017) }
}

/**
 * The same MongoDB URL (database, options) pointed at the proxy. directConnection=true: the
 * driver must not go looking for the real hosts a replica set would announce.
 */
export function throughProxy(mongoUrl: string, proxy: Pick<TcpProxy, 'port'>): string {
  const parsed = new ConnectionString(mongoUrl)
  parsed.hosts = [`127.0.0.1:${proxy.port}`]
  parsed.searchParams.set('directConnection', 'true')
  return parsed.toString()
}
