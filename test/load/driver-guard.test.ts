// driver-guard.ts (steps 08 and 09) works around a mongodb driver bug: a command written to a
// socket the server has just closed never settles (docs/driver-lost-after-outage.md). In the load
// test that bug is a race; test/support/driver-bug.ts makes it certain, so this test can fail both
// ways: the bare driver must still show the bug (or the guard is no longer needed and should go),
// and the guarded one must fail fast and recover.
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, inject, it } from 'vitest'
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
  it('never settles with the bare driver (the bug driver-guard.ts exists for)', async () => {
    const outcome = await commandAtTheBadMoment('bare')
    expect(outcome.settled, 'if this now settles, the driver is fixed: remove driver-guard.ts and its lesson').toBe(
      'never settled',
    )
  })

  it('fails at once with a network error behind the guard, and the next command succeeds', async () => {
    const outcome = await commandAtTheBadMoment('guard')
    expect(outcome).toMatchObject({ settled: 'failed: MongoNetworkError', after: 'succeeded' })
  })
})
