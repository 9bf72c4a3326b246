// The TCP proxy that check 06 puts between a server and MongoDB: it forwards, cuts and restores.
import { connect, createServer, type Server, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { mongoTarget, startTcpProxy, type TcpProxy, throughProxy } from '../../tools/lib/tcp-proxy.js'

let echo: Server | undefined
let proxy: TcpProxy | undefined

afterEach(async () => {
  await proxy?.close()
  await new Promise((resolve) => (echo ? echo.close(resolve) : resolve(undefined)))
  echo = proxy = undefined
})

/** An echo server on a free port. */
async function startEcho(): Promise<number> {
  echo = createServer((socket) => socket.pipe(socket))
  await new Promise<void>((resolve) => echo?.listen(0, '127.0.0.1', resolve))
  const address = echo.address()
  return typeof address === 'object' && address ? address.port : 0
}

/** Connects, sends text, and resolves with what came back, or with the way the connection ended. */
function roundTrip(port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    const socket: Socket = connect(port, '127.0.0.1', () => socket.write(text))
    let received = ''
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString()
      if (received === text) {
        socket.end()
        resolve(received)
      }
    })
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(`error ${error.code}`))
    socket.on('close', () => resolve(received || 'closed'))
  })
}

describe('startTcpProxy', () => {
  it('forwards, cuts open connections and refuses new ones, then forwards again after restore', async () => {
    proxy = await startTcpProxy({ host: '127.0.0.1', port: await startEcho() })
    expect(await roundTrip(proxy.port, 'hello')).toBe('hello')

    // An open connection is destroyed by cut().
    const open = connect(proxy.port, '127.0.0.1')
    await new Promise((resolve) => open.once('connect', resolve))
    const closed = new Promise((resolve) => open.once('close', resolve))
    open.on('error', () => {})
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(proxy.open).toBeGreaterThan(0)
    proxy.cut()
    await closed
    expect(proxy.open).toBe(0)

    expect(await roundTrip(proxy.port, 'during the cut')).toMatch(/^(error ECONNRESET|closed)$/)
    proxy.restore()
    expect(await roundTrip(proxy.port, 'after')).toBe('after')
  })

  it('closes the connection to the client when the target is down', async () => {
    const port = await startEcho()
    await new Promise((resolve) => echo?.close(resolve))
    echo = undefined
    proxy = await startTcpProxy({ host: '127.0.0.1', port })
    expect(await roundTrip(proxy.port, 'anyone?')).toMatch(/^(error ECONNRESET|closed)$/)
  })
})

describe('throughProxy and mongoTarget', () => {
  it('point a MongoDB URL at the proxy, keeping the database and options, with directConnection', () => {
    expect(mongoTarget('mongodb://db.example:27018/app')).toEqual({ host: 'db.example', port: 27018 })
    expect(mongoTarget('mongodb://127.0.0.1/app')).toEqual({ host: '127.0.0.1', port: 27017 })
    expect(throughProxy('mongodb://user:pw@db.example:27018/app?retryWrites=false', { port: 41000 })).toBe(
      'mongodb://user:pw@127.0.0.1:41000/app?retryWrites=false&directConnection=true',
    )
  })

  it('explains that a mongodb+srv:// URL cannot be proxied', () => {
    expect(() => mongoTarget('mongodb+srv://cluster0.example.net/app')).toThrow(
      'a mongodb+srv:// URL cannot be proxied',
    )
  })
})
