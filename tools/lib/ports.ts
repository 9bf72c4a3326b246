import { createServer } from 'node:net'
import { UserError } from './errors.js'

/** True when nothing listens on port (checked the way app.listen(port) binds: all interfaces). */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer()
    probe.once('error', () => resolve(false))
    probe.listen(port, () => probe.close(() => resolve(true)))
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
