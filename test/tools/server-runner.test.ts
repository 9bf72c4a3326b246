// The watch loop behind `npm run step`: restart on save, and never wait forever on a server that
// could not start. Runs tiny servers in a temporary folder.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import type { ListenHost } from '../../tools/lib/ports.js'
import { type RunnerEvent, runServer, type ServerRunner } from '../../tools/lib/server-runner.js'

const listening = `console.log('App listening on port 0'); setInterval(() => {}, 1000)\n`
let dir: string
let runner: ServerRunner | undefined

afterEach(async () => {
  await runner?.stop()
  runner = undefined
  rmSync(dir, { recursive: true, force: true })
})

let printed = ''

function start(source: string, poll = false, host?: ListenHost) {
  dir = mkdtempSync(join(tmpdir(), 'workshop-runner-'))
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n') // as the workshop's
  writeFileSync(join(dir, 'server.ts'), source)
  const events: RunnerEvent[] = []
  const sink = new PassThrough()
  printed = ''
  sink.on('data', (chunk: Buffer) => {
    printed += chunk.toString()
  })
  runner = runServer({
    dir,
    env: {},
    ...(host === undefined ? {} : { host }),
    poll,
    output: { stdout: sink, stderr: sink },
    onEvent: (event) => events.push(event),
  })
  return events
}

describe('runServer', () => {
  it.each([false, true])('restarts the server when a file is saved (poll: %s)', async (poll) => {
    const events = start(listening, poll)
    await expect.poll(() => events.map((event) => event.type), { timeout: 15_000 }).toEqual(['listening'])
    // Let the poller take its first snapshot before the change.
    await new Promise((resolve) => setTimeout(resolve, 700))
    writeFileSync(join(dir, 'server.ts'), `// saved\n${listening}`)
    await expect
      .poll(() => events.map((event) => event.type), { timeout: 15_000 })
      .toEqual(['listening', 'restarting', 'listening'])
  })

  it('reports a server that exits before it listens, on its first run', async () => {
    const events = start(`console.error('boom'); process.exit(3)\n`)
    await expect
      .poll(() => events, { timeout: 15_000 })
      .toEqual([{ type: 'exited', code: 3, signal: null, listened: false, firstRun: true }])
  })

  it('reports a crash after a restart as a later run, so the runner keeps watching', async () => {
    const events = start(listening)
    await expect.poll(() => events.length, { timeout: 15_000 }).toBe(1)
    writeFileSync(join(dir, 'server.ts'), `throw new Error('a typo')\n`)
    await expect
      .poll(() => events.at(-1), { timeout: 15_000 })
      .toMatchObject({ type: 'exited', code: 1, listened: false, firstRun: false })
  })

  // A server that names no host, as steps 01 to 08 do: it still listens where the runner says.
  const printsWhere = `import { createServer } from 'node:http'
const server = createServer().listen(0, () => {
  const { address } = server.address() as { address: string }
  console.log(\`App listening on port 0 at \${address} (HOST \${process.env.HOST})\`)
})
`

  it('keeps a server that names no host on 127.0.0.1, and on every interface with host null', async () => {
    let events = start(printsWhere)
    await expect.poll(() => events.length, { timeout: 15_000 }).toBe(1)
    expect(printed).toContain('at 127.0.0.1 (HOST 127.0.0.1)')
    await runner?.stop()
    rmSync(dir, { recursive: true, force: true })

    events = start(printsWhere, false, null)
    await expect.poll(() => events.length, { timeout: 15_000 }).toBe(1)
    expect(printed).toMatch(/at (::|0\.0\.0\.0) \(HOST undefined\)/)
  })

  it('gives a server that is stopping by itself the time asked for, instead of stopping it', async () => {
    // As after a console's Ctrl+C on Windows, which reaches the server too: it finishes on its own.
    const events = start(`console.log('App listening on port 0')
setTimeout(() => {
  console.log('closed by itself')
  process.exit(0)
}, 500)
setInterval(() => {}, 1000)
`)
    await expect.poll(() => events.length, { timeout: 15_000 }).toBe(1)
    await runner?.stop(5000)
    runner = undefined
    expect(printed).toContain('closed by itself')
    expect(events.map((event) => event.type)).toEqual(['listening'])
  })

  it("shows a compile error as the spot in the file, not as the compiler's stack trace", async () => {
    const events = start(`const app = {}\napp.use(session(secret: 'SECRET KEY'))\n`)
    await expect.poll(() => events.length, { timeout: 15_000 }).toBe(1)
    expect(printed).toMatch(/^🚨 .*server\.ts:2:23: Expected "\)" but found ":"$/m)
    expect(printed).toContain("   2 | app.use(session(secret: 'SECRET KEY'))\n     |                       ^")
    expect(printed).not.toMatch(/TransformError|node:internal|\n\s+at /)
  })
})
