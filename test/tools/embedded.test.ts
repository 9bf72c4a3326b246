// The embedded MongoDB as a learner meets it, through mongodb-memory-server's own code: this
// machine cannot download mongod, so .ci/mongo/mongod stands in for it (MONGOMS_SYSTEM_BINARY: it
// takes mongod's command line and runs mongo-java-server with its data under --dbpath). The
// commands run as child processes on a throwaway copy of the workshop, with WORKSHOP_MONGO=embedded
// so that a server on 127.0.0.1:27017 is passed over.
import { execFileSync, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { MongoClient } from 'mongodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SessionReader, sessionsCollection } from '../../tools/inspector/reader.js'
import { exitedWithOutput } from '../../tools/lib/child.js'
import { learnerDatabase } from '../../tools/lib/databases.js'
import { embeddedPaths, findEmbedded, isAlive, readState, stopEmbedded } from '../../tools/lib/embedded.js'
import { answers } from '../../tools/lib/mongo.js'
import { freePort, listens } from '../../tools/lib/ports.js'
import { rootDir } from '../../tools/lib/steps.js'
import { runTool } from '../support/cli.js'
import { roomOfThirty } from '../support/room.js'
import { copyWorkshop, type WorkshopCopy } from '../support/workshop-copy.js'

const shim = join(rootDir, '.ci', 'mongo', 'mongod')
const env = { MONGO_URL: '', WORKSHOP_MONGO: 'embedded', MONGOMS_SYSTEM_BINARY: shim }
const embeddedLine = /127\.0\.0\.1:(\d+) \(this workspace's embedded MongoDB/

function portIn(output: string): number | undefined {
  const match = embeddedLine.exec(output)
  return match ? Number(match[1]) : undefined
}

/** `npm run step …` of the copy, left running. */
function startStep(root: string, args: string[], extra: Record<string, string>) {
  const child = spawn(process.execPath, [join(root, 'tools', 'run.mjs'), 'step', ...args], {
    cwd: root,
    env: { ...process.env, ...env, ...extra },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let text = ''
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()))
  const exited = exitedWithOutput(child).then(({ code }) => code)
  return { child, output: () => text, exited }
}

// mongodb-memory-server runs the binary itself, and Windows runs no bash script: there the
// embedded path is proven by the GitHub workflow's jobs with the real mongod.
describe.skipIf(process.platform === 'win32')('the embedded MongoDB (mongo-java-server standing in for mongod)', () => {
  let copy: WorkshopCopy
  const paths = () => embeddedPaths(copy.root)
  const sessions = () => runTool('sessions', [], env, 120_000, { root: copy.root })

  beforeAll(() => {
    // mongo-java-server's classpath from Maven Central, once (.ci/run resolves it before npm test).
    execFileSync('bash', [join(rootDir, '.ci', 'mongo', 'classpath')], { stdio: 'pipe', timeout: 180_000 })
    copy = copyWorkshop()
  }, 200_000)

  afterAll(async () => {
    if (!copy) return
    await stopEmbedded(copy.root)
    copy.remove()
  }, 30_000)

  it('npm run setup and npm run sessions started at once share one server, which later commands find at once', async () => {
    const [setup, first] = await Promise.all([runTool('setup', [], env, 120_000, { root: copy.root }), sessions()])
    for (const result of [setup, first]) expect(result.code, result.stdout + result.stderr).toBe(0)
    const port = portIn(setup.stdout)
    expect(port).toBeDefined()
    expect(portIn(first.stdout)).toBe(port)
    expect(setup.stdout).toContain(
      `✓ mongod from MONGOMS_SYSTEM_BINARY (${shim}) is on this machine: no command needs the internet`,
    )
    expect(setup.stdout).toContain('Ready for the class, offline too: npm run step 1 begins the workshop.')
    // One host, one mongod: the other command waited for it.
    const log = readFileSync(paths().log, 'utf8')
    expect(log.match(/waits for connections/g)).toHaveLength(1)
    const state = readState(paths())
    expect(state).toMatchObject({ status: 'ready', port })
    expect(isAlive(state?.pid)).toBe(true)

    const [again, doctor] = await Promise.all([
      sessions(),
      runTool('doctor', [], { ...env, PORT: String(await freePort()) }, 60_000, { root: copy.root }),
    ])
    for (const result of [again, doctor]) {
      expect(result.stdout).not.toContain('starting')
      expect(portIn(result.stdout)).toBe(port)
    }
    expect(doctor.stdout).toContain(
      `✓ MongoDB: 127.0.0.1:${port} (this workspace's embedded MongoDB, data in .workshop/mongodb/data; \`npm run db:down\` stops it) answers`,
    )
  }, 150_000)

  it('keeps a login when npm run step restarts, since the server outlives the command', async () => {
    const port = String(await freePort())
    let step = startStep(copy.root, ['5', '--solution'], { PORT: port })
    try {
      await expect.poll(step.output, { timeout: 60_000, interval: 100 }).toContain(`App listening on port ${port}`)
      expect(step.output()).toMatch(/MongoDB: {2}127\.0\.0\.1:\d+ \(this workspace's embedded MongoDB/)
      const login = await fetch(`http://127.0.0.1:${port}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"username":"ada"}',
      })
      expect(login.status).toBe(200)
      const cookie = login.headers.get('set-cookie')?.split(';')[0] ?? ''
      step.child.kill('SIGINT')
      expect(await step.exited).toBe(0)
      expect(isAlive(readState(paths())?.pid), 'the embedded MongoDB outlives npm run step').toBe(true)

      step = startStep(copy.root, ['5', '--solution'], { PORT: port })
      await expect.poll(step.output, { timeout: 60_000, interval: 100 }).toContain(`App listening on port ${port}`)
      const me = await fetch(`http://127.0.0.1:${port}/me`, { headers: { cookie } })
      expect(me.status).toBe(200)
      expect(await me.json()).toMatchObject({ name: 'ada' })
      step.child.kill('SIGINT')
      expect(await step.exited).toBe(0)
    } finally {
      step.child.kill('SIGKILL')
    }
  }, 150_000)

  it('npm run db:down stops it; its data stays on disk for the next start', async () => {
    const running = readState(paths())
    const port = running?.port ?? 0
    const { url } = learnerDatabase(running?.url ?? '')
    const client = new MongoClient(url)
    const stored = await client.db().collection<{ _id: string }>(sessionsCollection).find().toArray()
    await client.close()
    expect(stored.length).toBeGreaterThan(0)

    // Without docker on PATH, db:down only stops the embedded MongoDB (and says so).
    const down = await runTool('db', ['down'], { ...env, PATH: join(copy.root, 'no-docker-here') }, 60_000, {
      root: copy.root,
    })
    expect(down.stderr).toBe('')
    expect(down.code).toBe(0)
    expect(down.stdout).toContain(
      `Stopped this workspace's embedded MongoDB (127.0.0.1:${port}); its data stays in .workshop/mongodb/data for its next start.`,
    )
    expect(down.stdout).toContain('No MongoDB of Docker Compose to stop: docker is not installed.')
    // An ended process stays in the process table until its parent (here, PID 1) collects it.
    await expect.poll(() => isAlive(running?.pid) || isAlive(running?.mongodPid), { timeout: 10_000 }).toBe(false)
    expect(readState(paths())).toBeUndefined()
    expect(await listens('127.0.0.1', port)).toBe(false)

    // The next command starts it again, from the same files: the sessions are there.
    const again = await sessions()
    expect(again.code, again.stdout + again.stderr).toBe(0)
    for (const document of stored) expect(again.stdout).toContain(document._id)
  }, 150_000)

  it('gives thirty learners on one server thirty databases, each seeing only its own sessions', async () => {
    const mongo = await findEmbedded(copy.root, answers)
    expect(mongo).toBeDefined()
    const databases = roomOfThirty.map((user) => learnerDatabase(mongo?.url ?? '', {}, user))
    const client = new MongoClient(mongo?.url ?? '')
    try {
      for (const [i, { database }] of databases.entries()) {
        await client
          .db(database)
          .collection<{ _id: string }>(sessionsCollection)
          .insertOne({
            _id: `session-of-${i}`,
            session: JSON.stringify({ cookie: {}, user: { name: roomOfThirty[i] } }),
            expires: new Date(Date.now() + 3_600_000),
          } as { _id: string })
      }
      const listed = (await client.db().admin().listDatabases()).databases.map((entry) => entry.name)
      for (const { database } of databases) expect(listed).toContain(database)
      expect(new Set(databases.map(({ database }) => database)).size).toBe(30)

      // What `npm run sessions` reads for each learner: their own session, none of the others'
      // (the one of this machine's user also holds the login of the tests above).
      for (const [i, { url, database }] of databases.entries()) {
        const reader = new SessionReader(url, database)
        try {
          const ids = (await reader.sessions()).map((row) => row.id)
          expect(ids.filter((id) => id.startsWith('session-of-'))).toEqual([`session-of-${i}`])
        } finally {
          await reader.close()
        }
      }
    } finally {
      // The databases go with the copy (mongo-java-server's file backend refuses dropDatabase here).
      await client.close()
    }
  }, 120_000)
})
