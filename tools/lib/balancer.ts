// A small round-robin HTTP load balancer for `npm run step 9 -- --instances N`: one public port,
// several app instances behind it, the way a cloud load balancer spreads requests. It keeps no
// affinity ("sticky sessions"): any instance may get any request, so sessions must be shared.
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Balancer {
  port: number
  close(): Promise<void>
}

/** Listens on port (0: any free port) and forwards each request to the next of targets. */
export async function startBalancer(port: number, targets: number[]): Promise<Balancer> {
  let next = 0
  const server: Server = createServer((req, res) => {
    // Read the body first (a workshop's bodies are small), so a request can be sent again to the
    // next instance when one does not answer.
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => forward(req, Buffer.concat(chunks), res, 0))
  })

  function forward(req: IncomingMessage, body: Buffer, res: ServerResponse, tried: number): void {
    const target = targets[next++ % targets.length]
    const upstream = request(
      {
        host: '127.0.0.1',
        port: target,
        method: req.method,
        path: req.url,
        headers: {
          ...req.headers,
          // What a real load balancer adds: the client's address and the protocol it used.
          'x-forwarded-for': req.socket.remoteAddress ?? '',
          'x-forwarded-proto': 'http',
        },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      },
    )
    upstream.on('error', () => {
      // An instance that is restarting or down: try the next one, as a health-checked balancer would.
      if (tried + 1 < targets.length && !res.headersSent) return forward(req, body, res, tried + 1)
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ error: 'No app instance answered: is `npm run step` still running?' }))
    })
    upstream.end(body)
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, () => resolve())
  })
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
