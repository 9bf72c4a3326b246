// The round-robin balancer behind `npm run step 9 -- --instances N`.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { startBalancer, type Balancer } from '../../tools/lib/balancer.js'
import { freePort } from '../../tools/lib/ports.js'

const servers: Server[] = []
let balancer: Balancer | undefined

afterEach(async () => {
  await balancer?.close()
  for (const server of servers.splice(0)) server.close()
})

/** An instance that answers its name, the method, the body and the forwarded protocol. */
async function instance(name: string): Promise<number> {
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString()))
    req.on('end', () => {
      res.setHeader('x-instance', name)
      res.end(JSON.stringify({ name, method: req.method, body, proto: req.headers['x-forwarded-proto'] }))
    })
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
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

  it('skips an instance that does not answer, and says so when none does', async () => {
    const dead = await freePort()
    balancer = await startBalancer(0, [dead, await instance('b')])
    for (let i = 0; i < 4; i++) {
      const response = await fetch(`http://127.0.0.1:${balancer.port}/`, { method: 'POST', body: 'kept' })
      expect(await response.json()).toMatchObject({ name: 'b', body: 'kept' })
    }
    await balancer.close()
    balancer = await startBalancer(0, [dead])
    const response = await fetch(`http://127.0.0.1:${balancer.port}/`)
    expect(response.status).toBe(502)
    expect(await response.json()).toEqual({ error: 'No app instance answered: is `npm run step` still running?' })
  })
})
