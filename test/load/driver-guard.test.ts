// tools/lib/driver-guard.mjs works around a mongodb driver bug: a command written to a socket the
// server has just closed never settles (docs/driver-lost-after-outage.md). Under the workshop's
// outage proxy that bug is a race; test/support/driver-bug.ts makes it certain, so this test can
// fail both ways: the bare driver must still show the bug (or the guard is no longer needed and
// should go), and the guarded one must fail fast and recover. The servers the runner starts with a
// MongoDB (npm run step, npm run demo), the ones the outage switch cuts, load the guard.
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { promisify } from 'node:util'
import { describe, expect, inject, it } from 'vitest'
import { runServer } from '../../tools/lib/server-runner.js'
import { rootDir } from '../../tools/lib/steps.js'

interface Outcome {
  settled: string
  ms: number
  after: string
}

async function commandAtTheBadMoment(mode: 'bare' | 'guard'): Promise<Outcome> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [join(rootDir, 'tools/lib/run-ts.mjs'), join(rootDir, 'test/support/driver-bug.ts'), inject('mongoUrl'), mode],
    { cwd: rootDir, timeout: 20_000 },
  )
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Outcome
}

describe('a command written to a socket the server just closed', () => {
  it('never settles with the bare driver (the bug driver-guard.mjs exists for)', async () => {
    const outcome = await commandAtTheBadMoment('bare')
    expect(
      outcome.settled,
      'if this now settles, the driver is fixed: remove tools/lib/driver-guard.mjs and the places that load it',
    ).toBe('never settled')
  })

  it('fails at once with a network error behind the guard, and the next command succeeds', async () => {
    const outcome = await commandAtTheBadMoment('guard')
    expect(outcome).toMatchObject({ settled: 'failed: MongoNetworkError', after: 'succeeded' })
  })
})

describe("the runner's servers", () => {
  // Prints whether the driver it loads (the workshop's own, by its path) is guarded.
  const server = `import { createRequire } from 'node:module'
const { Connection } = createRequire(import.meta.url)(process.env.CONNECTION_JS)
const guarded = Boolean(Connection.prototype.writeCommand[Symbol.for('guardDestroyedSocketWrites')])
console.log(\`guarded: \${guarded}. App listening on port 0\`)
setInterval(() => {}, 1000)
`
  const connectionJs = createRequire(import.meta.url).resolve('mongodb/lib/cmap/connection.js')

  async function guardedIn(env: Record<string, string>): Promise<string> {
    const dir = mkdtempSync(join(tmpdir(), 'workshop-guard-'))
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n')
    writeFileSync(join(dir, 'server.ts'), server)
    let printed = ''
    const sink = new PassThrough().on('data', (chunk: Buffer) => {
      printed += chunk.toString()
    })
    const runner = runServer({
      dir,
      env: { ...env, CONNECTION_JS: connectionJs },
      output: { stdout: sink, stderr: sink },
      onEvent: () => {},
    })
    try {
      await expect.poll(() => printed, { timeout: 15_000 }).toMatch(/guarded: \w+/)
      return /guarded: (\w+)/.exec(printed)?.[1] ?? ''
    } finally {
      await runner.stop()
      rmSync(dir, { recursive: true, force: true })
    }
  }

  it('load the guard when they are given a MongoDB (the outage switch sits in front of it)', async () => {
    expect(await guardedIn({ MONGO_URL: 'mongodb://127.0.0.1:9/none' })).toBe('true')
  })

  it('leave the driver alone in a step without MongoDB', async () => {
    expect(await guardedIn({})).toBe('false')
  })
})
