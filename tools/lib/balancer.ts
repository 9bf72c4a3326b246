// A small round-robin HTTP load balancer for `npm run step N -- --instances K`: one public port,
// several app instances behind it, the way a cloud load balancer spreads requests. It keeps no
// affinity ("sticky sessions"): any instance may get any request, so sessions must be shared.
// Like a real one it has limits: bodies up to a size, streamed, never held whole in memory; a
// time limit for an instance that stops answering; and it never sends a request twice when the
// first attempt may have had an effect. Its own answers are JSON, as the app's are.
import {
  type ClientRequest,
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  request,
  type Server,
  type ServerResponse,
  STATUS_CODES,
} from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { type ListenHost, loopback } from './ports.js'

export interface Balancer {
  port: number
  /** The address it listens on: 127.0.0.1, or '::' (or '0.0.0.0') for every interface. */
  address: string
  close(): Promise<void>
}

export interface BalancerOptions {
  /** Where to listen: an address (default 127.0.0.1, this machine only), or null for every interface. */
  host?: ListenHost
  /** The largest request body passed on, in bytes; a larger one gets a 413. */
  maxBodyBytes?: number
  /** How long an instance may stay silent (no byte either way) before the request gets a 504, in ms. */
  timeoutMs?: number
}

/** nginx's default client_max_body_size; the app's own parsers stop at 100 kB, so theirs is the limit a learner meets. */
export const defaultMaxBodyBytes = 1024 * 1024
/** Longer than any wait the app allows itself (MongoDB 1 s, a majority write 5 s), so its own 503 comes first. */
export const defaultTimeoutMs = 10_000

/** Headers about one connection, not the request: each hop sets its own (and `expect` was answered here). */
const hopByHop = ['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'upgrade', 'expect']

/** Listens on port (0: any free port) and forwards each request to the next of targets (ports of 127.0.0.1). */
export async function startBalancer(port: number, targets: number[], options: BalancerOptions = {}): Promise<Balancer> {
  const host = options.host === undefined ? loopback : options.host
  const maxBodyBytes = options.maxBodyBytes ?? defaultMaxBodyBytes
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs
  let next = 0

  const server: Server = createServer(handle)
  // `Expect: 100-continue` (curl's habit for large bodies): a body too large is refused before it is sent.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    if (Number(req.headers['content-length'] ?? 0) > maxBodyBytes) tooLarge(req, res)
    else {
      res.writeContinue()
      handle(req, res)
    }
  })

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const declared = Number(req.headers['content-length'] ?? 0)
    if (declared > maxBodyBytes) {
      tooLarge(req, res)
      return
    }
    const hasBody = declared > 0 || req.headers['transfer-encoding'] !== undefined
    // Only a request that has no body and changes nothing may go on to another instance, and only
    // when the first one refused the connection: then not a byte of it was sent.
    const retryable = !hasBody && (req.method === 'GET' || req.method === 'HEAD')
    forward(req, res, hasBody, retryable, targets.length)
  }

  /** Sends req to the next instance; a retryable one goes on to the next of attempts instances when refused. */
  function forward(
    req: IncomingMessage,
    res: ServerResponse,
    hasBody: boolean,
    retryable: boolean,
    attempts: number,
  ): void {
    const target = targets[next++ % targets.length] ?? 0
    const headers: OutgoingHttpHeaders = { ...req.headers }
    for (const name of hopByHop) delete headers[name]
    // What a real load balancer adds: the client's address and the protocol it used.
    headers['x-forwarded-for'] = req.socket.remoteAddress ?? ''
    headers['x-forwarded-proto'] = 'http'
    const upstream = request({
      host: '127.0.0.1',
      port: target,
      method: req.method,
      path: req.url,
      headers,
      // A connection of its own per request: a refusal then always means nothing was sent.
      agent: false,
      timeout: timeoutMs,
    })
    upstream.on('response', (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
      answer.on('error', () => res.destroy())
    })
    upstream.on('timeout', () => upstream.destroy(new SilentInstance()))
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      if (res.destroyed || res.writableEnded) return
      const refused = error.code === 'ECONNREFUSED'
      if (refused && retryable && attempts > 1) return forward(req, res, hasBody, retryable, attempts - 1)
      if (error instanceof SilentInstance) {
        return reply(
          res,
          504,
          `The app instance on port ${target} did not answer within ${seconds(timeoutMs)}: is it stopped, or stuck?`,
        )
      }
      if (refused && retryable) {
        return reply(res, 502, 'No app instance answered: is `npm run step` still running?')
      }
      if (refused) {
        return reply(
          res,
          502,
          `The app instance on port ${target} is not running (restarting after a save?), and only a GET or HEAD without a body goes on to another one: send it again.`,
        )
      }
      reply(res, 502, `The app instance on port ${target} broke the connection before it finished answering.`)
    })
    // The client gave up: so does the instance's request.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy()
    })
    if (hasBody) streamBody(req, res, upstream)
    else upstream.end()
  }

  /** Passes the body on as it arrives, at the instance's pace, and stops at maxBodyBytes. */
  function streamBody(req: IncomingMessage, res: ServerResponse, upstream: ClientRequest): void {
    let received = 0
    const onData = (chunk: Buffer) => {
      received += chunk.length
      if (received > maxBodyBytes) {
        req.off('data', onData)
        upstream.destroy()
        tooLarge(req, res)
        return
      }
      if (!upstream.write(chunk)) req.pause()
    }
    req.on('data', onData)
    upstream.on('drain', () => req.resume())
    req.on('end', () => {
      if (received <= maxBodyBytes) upstream.end()
    })
  }

  function tooLarge(req: IncomingMessage, res: ServerResponse): void {
    // The rest of the body is not read: the connection closes after the answer.
    req.pause()
    if (res.headersSent) {
      if (res.writableFinished) req.socket.destroy()
      else res.destroy()
      return
    }
    reply(
      res,
      413,
      `The request body is larger than the ${mebibytes(maxBodyBytes)} the balancer passes on: send a smaller one.`,
      { connection: 'close' },
    )
  }

  // Requests Node's parser refuses (a broken request line, headers too large, too slow) and
  // CONNECT get JSON too, not Node's bare status line.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable) {
      socket.destroy()
      return
    }
    const [status, message]: [number, string] =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'The request headers are too large: send fewer or smaller cookies and headers.']
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'The request took too long to arrive: send it again.']
          : [400, 'The request is not valid HTTP: check its first line and headers.']
    socket.end(rawReply(status, message))
  })
  server.on('connect', (_req: IncomingMessage, socket: Socket) => {
    socket.end(rawReply(405, 'The balancer is no proxy for other sites: CONNECT is not supported.'))
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    if (host === null) server.listen(port, () => resolve())
    else server.listen(port, host, () => resolve())
  })
  const { port: bound, address } = server.address() as AddressInfo
  return {
    port: bound,
    address,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

class SilentInstance extends Error {}

function reply(res: ServerResponse, status: number, error: string, headers: OutgoingHttpHeaders = {}): void {
  if (res.headersSent) {
    res.destroy()
    return
  }
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
  res.end(JSON.stringify({ error }))
}

function rawReply(status: number, error: string): string {
  const body = JSON.stringify({ error })
  return [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n')
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`
}

function mebibytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`
}
