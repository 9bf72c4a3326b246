// Ports and addresses for the commands that listen: is a port free, which port is free, where to
// listen (this machine only unless asked), and what other machines would use to reach it.
import { connect, createServer } from 'node:net'
import { networkInterfaces } from 'node:os'
import { UserError } from './errors.js'

/** This machine only: what `npm run step` listens on unless --host says otherwise. */
export const loopback = '127.0.0.1'

/**
 * Where a command listens: an address (or host name), or null for every interface (what
 * listen(port) does with no host: `--host` alone).
 */
export type ListenHost = string | null

/** True when nothing listens on port (checked the way app.listen(port) binds: all interfaces). */
export async function isPortFree(port: number): Promise<boolean> {
  return (await listenError(port, null)) === undefined
}

/**
 * Why nothing could listen on port at host ('EADDRINUSE', 'EADDRNOTAVAIL' for an address this
 * machine does not have, 'ENOTFOUND' for a name that does not resolve…), or undefined when it could.
 * The port is tried on every interface too: a program that holds it there would share it with us
 * on some systems and refuse us on others.
 */
export async function listenProblem(port: number, host: ListenHost): Promise<string | undefined> {
  return (await listenError(port, null)) ?? (host === null ? undefined : await listenError(port, host))
}

function listenError(port: number, host: ListenHost): Promise<string | undefined> {
  return new Promise((resolve) => {
    const probe = createServer()
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message))
    const listening = () => probe.close(() => resolve(undefined))
    if (host === null) probe.listen(port, listening)
    else probe.listen(port, host, listening)
  })
}

/** A port the operating system says is free right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}

/** Reads PORT the way the steps' server.ts does, or explains what a port is. */
export function parsePort(value: string | undefined, fallback = 4000): number {
  if (value === undefined || value.trim() === '') return fallback
  const port = Number(value)
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UserError(
      `PORT must be a whole number from 1 to 65535, not "${value}": run for example PORT=4001 npm run step 1.`,
    )
  }
  return port
}

/** True for a host only this machine can reach (127.x.x.x, ::1, localhost). */
export function isLoopback(host: ListenHost): boolean {
  if (host === null) return false
  const name = host.toLowerCase().replace(/^\[|\]$/g, '')
  return name === 'localhost' || name === '::1' || /^127\.\d+\.\d+\.\d+$/.test(name)
}

/** True for the wildcard addresses, which mean every interface as much as no host does. */
export function isEveryInterface(host: ListenHost): boolean {
  return host === null || host === '0.0.0.0' || host === '::' || host === '[::]'
}

/** This machine's IPv4 addresses on its networks: where other machines reach a server that listens everywhere. */
export function networkAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .flatMap((entry) => (entry && entry.family === 'IPv4' && !entry.internal ? [entry.address] : []))
}

/** An http:// URL for host and port (IPv6 addresses in brackets). */
export function urlOf(host: string, port: number): string {
  return `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`
}

/**
 * True when something accepts a TCP connection at host:port within timeoutMs: long enough for a
 * handshake with a slow machine; a refusal comes back at once.
 */
export function listens(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port })
    const done = (answer: boolean) => {
      socket.destroy()
      resolve(answer)
    }
    socket.setTimeout(timeoutMs, () => done(false))
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}
