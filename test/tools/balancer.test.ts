// The round-robin balancer behind `npm run step 9 -- --instances N`.
import { createServer, request, type Server } from 'node:http'
import { type AddressInfo, connect } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { type Balancer, startBalancer } from '../../tools/lib/balancer.js'
import { freePort } from '../../tools/lib/ports.js'

const servers: Server[] = []
let balancer: Balancer | undefined

afterEach(async () => {
  await balancer?.close()
  balancer = undefined
  for (const server of servers.splice(0)) {
    server.closeAllConnections()
    server.close()
  }
})

interface Seen {
  /** Requests that reached the instance, and bytes of body it read. */
  requests: number
  bytes: number
}

/** An instance that answers its name, the method, the body and the forwarded protocol. */
async function instance(name: string, seen: Seen = { requests: 0, bytes: 0 }): Promise<number> {
  return listen(
    createServer((req, res) => {
      seen.requests++
      let body = ''
      req.on('data', (chunk: Buffer) => {
        seen.bytes += chunk.length
        body += chunk.toString()
      })
      req.on('end', () => {
        res.setHeader('x-instance', name)
        res.end(JSON.stringify({ name, method: req.method, body, proto: req.headers['x-forwarded-proto'] }))
      })
    }),
  )
}

async function listen(server: Server): Promise<number> {
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

/** Sends raw bytes to the balancer and returns everything it answers before closing. */
function raw(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text))
    let answer = ''
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()))
    socket.on('end', () => resolve(answer))
    socket.on('error', reject)
  })
}

/** A POST whose body arrives in pieces (chunked): `more` sends the next piece, `end` the last. */
function streamedPost(port: number) {
  const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/upload' })
  const answered = new Promise<{ status: number; body: unknown }>((resolve, reject) => {
    req.on('response', (res) => {
      let text = ''
      res.on('data', (chunk: Buffer) => (text += chunk.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }))
    })
    req.on('error', reject)
  })
  req.flushHeaders()
  return { more: (bytes: number) => req.write(Buffer.alloc(bytes, 'x')), end: () => req.end(), answered }
}

describe('startBalancer', () => {
  it('sends each request to the next instance, round robin, body and headers included', async () => {
    balancer = await startBalancer(0, [await instance('a'), await instance('b'), await instance('c')])
    const names: string[] = []
    for (let i = 0; i < 6; i++) {
      const response = await fetch(`http://127.0.0.1:${balancer.port}/login`, { method: 'POST', body: `n=${i}` })
      const answer = (await response.json()) as { name: string; method: string; body: string; proto: string }
      expect(answer).toMatchObject({ method: 'POST', body: `n=${i}`, proto: 'http' })
      expect(response.headers.get('x-instance')).toBe(answer.name)
      names.push(answer.name)
    }
    expect(names).toEqual(['a', 'b', 'c', 'a', 'b', 'c'])
  })

  it('listens on 127.0.0.1 unless told otherwise; host null is every interface', async () => {
    balancer = await startBalancer(0, [await instance('a')])
    expect(balancer.address).toBe('127.0.0.1')
    await balancer.close()
    balancer = await startBalancer(0, [await instance('a')], { host: null })
    expect(['::', '0.0.0.0']).toContain(balancer.address)
  })

  it('sends a GET that an instance refused to the next one, and says so when none answers', async () => {
    const dead = await freePort()
    balancer = await startBalancer(0, [dead, await instance('b')])
    for (let i = 0; i < 4; i++) {
      const response = await fetch(`http://127.0.0.1:${balancer.port}/me`)
      expect(await response.json()).toMatchObject({ name: 'b', method: 'GET' })
    }
    await balancer.close()
    balancer = await startBalancer(0, [dead])
    const response = await fetch(`http://127.0.0.1:${balancer.port}/`)
    expect(response.status).toBe(502)
    expect(await response.json()).toEqual({ error: 'No app instance answered: is `npm run step` still running?' })
  })

  it('never sends a POST, or any request with a body, to a second instance', async () => {
    const dead = await freePort()
    const seen = { requests: 0, bytes: 0 }
    balancer = await startBalancer(0, [dead, await instance('b', seen)])
    for (const method of ['POST', 'PUT']) {
      // Round robin: the first of each pair goes to the dead instance, the second to b.
      const refused = await fetch(`http://127.0.0.1:${balancer.port}/login`, { method, body: 'once' })
      expect(refused.status).toBe(502)
      expect(refused.headers.get('content-type')).toMatch(/^application\/json/)
      expect(((await refused.json()) as { error: string }).error).toMatch(
        new RegExp(`^The app instance on port ${dead} is not running .*: send it again\\.$`),
      )
      expect(seen.requests).toBe(0)
      const served = await fetch(`http://127.0.0.1:${balancer.port}/login`, { method, body: 'once' })
      expect(await served.json()).toMatchObject({ name: 'b', body: 'once' })
      seen.requests = 0
    }
    // A DELETE without a body is not safe to repeat either.
    const refused = await fetch(`http://127.0.0.1:${balancer.port}/session`, { method: 'DELETE' })
    expect(refused.status).toBe(502)
    expect(seen.requests).toBe(0)
  })

  it('answers 413 as JSON to a body over the limit, declared or streamed, and passes one at the limit', async () => {
    const seen = { requests: 0, bytes: 0 }
    balancer = await startBalancer(0, [await instance('a', seen)], { maxBodyBytes: 1000 })
    const error = {
      error: 'The request body is larger than the 1000 bytes the balancer passes on: send a smaller one.',
    }

    const declared = await fetch(`http://127.0.0.1:${balancer.port}/login`, { method: 'POST', body: 'x'.repeat(1001) })
    expect(declared.status).toBe(413)
    expect(declared.headers.get('content-type')).toMatch(/^application\/json/)
    expect(await declared.json()).toEqual(error)
    expect(seen.requests).toBe(0) // refused on its Content-Length, before any instance

    const streamed = streamedPost(balancer.port)
    streamed.more(600)
    streamed.more(600)
    expect(await streamed.answered).toEqual({ status: 413, body: error })
    expect(seen.bytes).toBeLessThanOrEqual(1000) // what was passed on stops at the limit

    const atLimit = await fetch(`http://127.0.0.1:${balancer.port}/login`, { method: 'POST', body: 'x'.repeat(1000) })
    expect(atLimit.status).toBe(200)
    expect(((await atLimit.json()) as { body: string }).body).toHaveLength(1000)
  })

  it('streams a body to the instance as it arrives, rather than holding it until the end', async () => {
    let firstBytes: () => void = () => {}
    const arrived = new Promise<void>((resolve) => (firstBytes = resolve))
    const port = await listen(
      createServer((req, res) => {
        req.once('data', () => firstBytes())
        req.resume()
        req.on('end', () => res.end('{}'))
      }),
    )
    balancer = await startBalancer(0, [port])
    const streamed = streamedPost(balancer.port)
    streamed.more(100)
    await arrived // while the client has not finished its body
    streamed.end()
    expect((await streamed.answered).status).toBe(200)
  })

  it('answers 504 as JSON when an instance stays silent, and sends the request nowhere else', async () => {
    const seen = { requests: 0, bytes: 0 }
    // Takes the request and never answers: a stopped process, as the kernel still accepts for it.
    const silent = await listen(createServer(() => {}))
    balancer = await startBalancer(0, [silent, await instance('b', seen)], { timeoutMs: 300 })
    const started = Date.now()
    const response = await fetch(`http://127.0.0.1:${balancer.port}/me`)
    expect(response.status).toBe(504)
    expect(await response.json()).toEqual({
      error: `The app instance on port ${silent} did not answer within 300 ms: is it stopped, or stuck?`,
    })
    expect(Date.now() - started).toBeLessThan(5000)
    expect(seen.requests).toBe(0)
  })

  it('answers in JSON what it refuses itself: a request that is not HTTP, and CONNECT', async () => {
    balancer = await startBalancer(0, [await instance('a')])
    const broken = await raw(balancer.port, 'NOT HTTP AT ALL\r\n\r\n')
    expect(broken).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/)
    expect(broken).toMatch(/\r\nContent-Type: application\/json; charset=utf-8\r\n/)
    expect(JSON.parse(broken.split('\r\n\r\n')[1] ?? '')).toEqual({
      error: 'The request is not valid HTTP: check its first line and headers.',
    })
    const tunnel = await raw(balancer.port, 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n')
    expect(tunnel).toMatch(/^HTTP\/1\.1 405 Method Not Allowed\r\n/)
    expect(JSON.parse(tunnel.split('\r\n\r\n')[1] ?? '')).toEqual({
      error: 'The balancer is no proxy for other sites: CONNECT is not supported.',
    })
  })
})
