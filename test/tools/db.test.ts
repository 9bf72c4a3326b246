// npm run db:*: what it decides before docker runs (a fake docker answers), and the real commands
// without docker on PATH (db:down then stops only the embedded MongoDB, test/tools/embedded.test.ts).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { composeArgs, type DbCommand, prepareCompose } from '../../tools/lib/docker.js'
import { UserError } from '../../tools/lib/errors.js'
import { rootDir } from '../../tools/lib/steps.js'
import { hasStackTrace, runTool } from '../support/cli.js'
import { client, compose, engine, fakeDocker } from '../support/fake-docker.js'
import { copyWorkshop } from '../support/workshop-copy.js'

describe('prepareCompose', () => {
  it('runs the same compose commands as before it existed, once docker is ready', async () => {
    const expected: Record<DbCommand, string> = {
      up: 'compose up -d --wait mongo',
      down: 'compose down',
      'replica:up': 'compose --profile replica up -d --wait mongo-replica',
      'replica:down': 'compose --profile replica stop mongo-replica',
    }
    for (const command of Object.keys(composeArgs) as DbCommand[]) {
      const args = await prepareCompose(command, fakeDocker({ client, compose, engine }).run)
      expect(args.join(' ')).toBe(expected[command])
    }
  })

  it('is what every db: script of package.json runs', () => {
    const { scripts } = JSON.parse(readFileSync(join(rootDir, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>
    }
    for (const command of Object.keys(composeArgs))
      expect(scripts[`db:${command}`]).toBe(`node tools/run.mjs db ${command}`)
  })

  it('names a missing Compose plugin in one sentence, with the fix and the way without Docker', async () => {
    const docker = fakeDocker({ client, engine })
    const failure = prepareCompose('up', docker.run)
    await expect(failure).rejects.toThrow(UserError)
    await expect(failure).rejects.toThrow(
      `npm run db:up needs Docker Compose, and this docker (${client}) has no Compose plugin (\`docker compose version\` fails): install the Compose plugin (Docker Desktop includes it; on Linux, the docker-compose-plugin package, see https://docs.docker.com/compose/install/linux/); or skip Docker, since the workshop finds or starts a MongoDB by itself.`,
    )
    expect(docker.calls).not.toContainEqual(expect.stringContaining('compose up'))
  })

  it('names both pieces when the docker client stands alone, as on a machine without a Docker engine', async () => {
    await expect(prepareCompose('replica:up', fakeDocker({ client }).run)).rejects.toThrow(
      `npm run db:replica:up needs Docker Compose and a running Docker engine, and this docker (${client}) has neither: install the Compose plugin (Docker Desktop includes it; on Linux, the docker-compose-plugin package, see https://docs.docker.com/compose/install/linux/), then start Docker Desktop or the docker service; or do without the replica set, since step 9 and its checks run against a single MongoDB.`,
    )
  })

  it('names an engine that does not answer, and a missing docker, each with its fix', async () => {
    await expect(prepareCompose('down', fakeDocker({ client, compose }).run)).rejects.toThrow(
      'npm run db:down needs the Docker engine, and it does not answer (`docker info` fails): start Docker Desktop or the docker service, then run npm run db:down again.',
    )
    await expect(prepareCompose('up', fakeDocker({}).run)).rejects.toThrow(
      'npm run db:up needs Docker, and the docker command is not installed: install Docker Desktop (or Docker Engine and its Compose plugin); or skip Docker, since the workshop finds or starts a MongoDB by itself.',
    )
  })
})

// Windows spells it Path: unset every spelling (undefined is left out), then set PATH alone.
const noPath = Object.fromEntries(
  Object.keys(process.env)
    .filter((name) => name.toUpperCase() === 'PATH')
    .map((name) => [name, undefined]),
)

describe('npm run db:up as a child process', () => {
  it('without docker on PATH: one 🚨 sentence, exit code 1, no usage text or stack trace', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'workshop-no-docker-'))
    try {
      const result = await runTool('db', ['up'], { ...noPath, PATH: empty }, 30_000)
      expect(result.code).toBe(1)
      expect(result.stdout).toBe('')
      expect(result.stderr.trim()).toBe(
        '🚨 npm run db:up needs Docker, and the docker command is not installed: install Docker Desktop (or Docker Engine and its Compose plugin); or skip Docker, since the workshop finds or starts a MongoDB by itself.',
      )
      expect(hasStackTrace(result.stderr)).toBe(false)
    } finally {
      rmSync(empty, { recursive: true, force: true })
    }
  })
})

describe('npm run db:down as a child process', () => {
  it('without docker and with no embedded MongoDB running: says that there was nothing to stop, exit code 0', async () => {
    const copy = copyWorkshop()
    try {
      const result = await runTool('db', ['down'], { ...noPath, PATH: copy.path('no-docker') }, 30_000, {
        root: copy.root,
      })
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      expect(result.stdout.trim().split('\n')).toEqual([
        "This workspace's embedded MongoDB is not running.",
        'No MongoDB of Docker Compose to stop: docker is not installed.',
      ])
    } finally {
      copy.remove()
    }
  })
})
