// The doctor's checks, one by one; the outside world replaced where it cannot be arranged here.
import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import {
  checkDatabase,
  checkDependencies,
  checkDocker,
  checkMongo,
  checkNode,
  checkPort,
  embeddedReadiness,
  meetsRange,
  prepareMongo,
} from '../../tools/lib/doctor-checks.js'
import { EmbeddedError, type EmbeddedMongo, type MongodBinary } from '../../tools/lib/embedded.js'
import { localUrl, type ResolveDeps } from '../../tools/lib/mongo.js'
import { freePort } from '../../tools/lib/ports.js'
import { client, compose, engine, fakeDocker } from '../support/fake-docker.js'

describe('meetsRange', () => {
  it.each([
    ['v20.19.0', '>=20.19.0', true],
    ['v20.18.3', '>=20.19.0', false],
    ['v22.1.0', '^20.19.0 || >=22.12.0', false],
    ['v22.12.0', '^20.19.0 || >=22.12.0', true],
    ['v20.20.2', '^20.19.0 || >=22.12.0', true],
    ['v20.20.2', '20.x', undefined],
  ])('%s against %s: %s', (version, range, expected) => {
    expect(meetsRange(version, range)).toBe(expected)
  })
})

describe('checkNode and checkDependencies', () => {
  it('reads the range from package.json and says which Node.js to install when it is too old', () => {
    expect(checkNode('v99.0.0')).toMatchObject({ status: 'ok' })
    expect(checkNode('v18.20.0')).toMatchObject({
      status: 'fail',
      text: expect.stringContaining('Node.js v18.20.0 is too old') as unknown,
    })
  })

  it('finds every package of package.json installed at the locked version', () => {
    expect(checkDependencies()).toMatchObject({
      status: 'ok',
      text: expect.stringContaining('as package-lock.json says') as unknown,
    })
  })
})

const running: EmbeddedMongo = {
  url: 'mongodb://127.0.0.1:27018',
  port: 27018,
  pid: 4242,
  dataDir: '.workshop/mongodb/data',
}

function deps(answering: string[], env: Record<string, string> = {}, found?: EmbeddedMongo): ResolveDeps {
  return {
    env,
    ping: async (url) => answering.includes(url),
    listens: async (host, port) => answering.includes(`mongodb://${host}:${port}`),
    findEmbedded: async () => found,
    startEmbedded: async () => running,
    log: () => {},
  }
}

const downloaded: MongodBinary = {
  path: '/home/ada/.cache/mongodb-binaries/mongod-x64-ubuntu-8.2.6',
  version: '8.2.6',
  from: 'download',
  downloadDir: '/home/ada/.cache/mongodb-binaries',
}
const notDownloaded: MongodBinary = { ...downloaded, path: undefined }

describe('checkMongo', () => {
  it('names the server the resolver would use when it answers', async () => {
    expect(await checkMongo(false, deps([localUrl]))).toEqual({
      status: 'ok',
      text: 'MongoDB: 127.0.0.1:27017 (the server already running there; `npm run db:down` stops it if `npm run db:up` started it) answers',
    })
  })

  it("names this workspace's running embedded MongoDB and how to stop it", async () => {
    expect(await checkMongo(false, deps([], {}, running))).toEqual({
      status: 'ok',
      text: "MongoDB: 127.0.0.1:27018 (this workspace's embedded MongoDB, data in .workshop/mongodb/data; `npm run db:down` stops it) answers",
    })
  })

  it('is a problem, with the resolver’s own sentence, when MONGO_URL does not answer', async () => {
    const finding = await checkMongo(false, deps([localUrl], { MONGO_URL: 'mongodb://db.example:27017' }))
    expect(finding.status).toBe('fail')
    expect(finding.text).toContain('MongoDB at MONGO_URL (db.example:27017) did not answer within 3 s')
  })

  it('says what the first command would meet instead of starting the embedded MongoDB, unless asked', async () => {
    let started = 0
    const counting = {
      ...deps([]),
      startEmbedded: async () => {
        started++
        return running
      },
    }
    const ready = await checkMongo(false, counting, async () => downloaded)
    expect(ready.status).toBe('ok')
    expect(ready.text).toContain(
      'with mongod 8.2.6 (/home/ada/.cache/mongodb-binaries/mongod-x64-ubuntu-8.2.6) already on this machine',
    )
    const dry = await checkMongo(false, counting, async () => notDownloaded)
    expect(dry.status).toBe('warn')
    expect(dry.text).toContain('downloads mongod first (about 100 MB, once for this machine)')
    expect(started).toBe(0)
    expect(await checkMongo(true, counting)).toMatchObject({
      status: 'ok',
      text: expect.stringContaining('started now; it keeps running for the next commands') as unknown,
    })
    expect(started).toBe(1)
  })

  it('when the download fails, says how to do without it: a mongod of your own, a mirror, Docker, MONGO_URL', async () => {
    const offline = {
      ...deps([]),
      startEmbedded: async () => {
        throw new EmbeddedError(
          'download',
          'mongod 8.2.6 could not be downloaded from fastdl.mongodb.org: getaddrinfo ENOTFOUND fastdl.mongodb.org',
        )
      },
    }
    expect(await checkMongo(true, offline)).toEqual({
      status: 'fail',
      text: 'MongoDB: nothing answers on 127.0.0.1:27017 and MONGO_URL is not set, so the workshop would start its embedded MongoDB, and mongod 8.2.6 could not be downloaded from fastdl.mongodb.org: getaddrinfo ENOTFOUND fastdl.mongodb.org.',
      fix: 'Run `npm run setup` again once online; offline, name a mongod you have with MONGOMS_SYSTEM_BINARY=/path/to/mongod or a download mirror with MONGOMS_DOWNLOAD_MIRROR, or use `npm run db:up` (Docker) or MONGO_URL.',
    })
  })
})

describe('embeddedReadiness', () => {
  it('offline: the fix names npm run setup while online, and the ways without a download', () => {
    const finding = embeddedReadiness(notDownloaded)
    expect(finding.fix).toBe(
      'Run `npm run setup` now, while online, and no command will need the internet; offline, name a mongod you have with MONGOMS_SYSTEM_BINARY=/path/to/mongod or a download mirror with MONGOMS_DOWNLOAD_MIRROR, or use `npm run db:up` (Docker) or MONGO_URL.',
    )
  })

  it('is a problem when MONGOMS_SYSTEM_BINARY names no mongod', () => {
    expect(embeddedReadiness({ ...notDownloaded, from: 'MONGOMS_SYSTEM_BINARY' })).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('unset MONGOMS_SYSTEM_BINARY') as unknown,
    })
  })
})

describe('prepareMongo (npm run setup)', () => {
  it('starts the embedded MongoDB when nothing else answers, and says that the class needs no download', async () => {
    const findings = await prepareMongo(deps([]), async () => downloaded)
    expect(findings.map((finding) => finding.status)).toEqual(['ok', 'ok'])
    expect(findings[0]?.text).toContain("this workspace's embedded MongoDB")
    expect(findings[1]?.text).toBe(
      'mongod 8.2.6 (/home/ada/.cache/mongodb-binaries/mongod-x64-ubuntu-8.2.6) is on this machine: no command needs the internet',
    )
  })

  it('offline: names what failed, with the ways without the download as its fix', async () => {
    const offline = {
      ...deps([]),
      startEmbedded: async () => {
        throw new EmbeddedError('download', 'mongod 8.2.6 could not be downloaded from fastdl.mongodb.org: ETIMEDOUT')
      },
    }
    const [finding] = await prepareMongo(offline, async () => notDownloaded)
    expect(finding?.status).toBe('fail')
    expect(finding?.fix).toContain('MONGOMS_SYSTEM_BINARY=/path/to/mongod')
  })

  it('warns when the server on 127.0.0.1:27017 answers but mongod for the embedded one is missing', async () => {
    const findings = await prepareMongo(deps([localUrl]), async () => notDownloaded)
    expect(findings[1]).toMatchObject({
      status: 'warn',
      fix: expect.stringContaining('WORKSHOP_MONGO=embedded') as unknown,
    })
  })
})

describe('checkDatabase', () => {
  it("names the learner's database and where it comes from", () => {
    expect(checkDatabase({ WORKSHOP_DATABASE: 'lab-pc-12' })).toEqual({
      status: 'ok',
      text: 'Your database: lab-pc-12 (from WORKSHOP_DATABASE)',
    })
    expect(checkDatabase({ MONGO_URL: 'mongodb://db.example:27017/mine' }).text).toBe(
      'Your database: mine (named in MONGO_URL)',
    )
    expect(checkDatabase({ WORKSHOP_DATABASE: 'a b' }).status).toBe('fail')
  })
})

describe('checkDocker', () => {
  it('is a warning, not a problem, when docker is not installed, and asks nothing more', async () => {
    const docker = fakeDocker({})
    expect(await checkDocker(docker.run)).toMatchObject({
      status: 'warn',
      text: 'Docker: not found (optional: only `npm run db:up` needs it).',
    })
    expect(docker.calls).toEqual(['docker --version'])
  })

  it('names a missing Compose plugin, with the plugin to install and the way without Docker', async () => {
    const docker = fakeDocker({ client, engine })
    const finding = await checkDocker(docker.run)
    expect(docker.calls).toContain('docker compose version')
    expect(finding).toEqual({
      status: 'warn',
      text: `Docker: ${client}, but it has no Compose plugin, so \`docker compose version\` fails (optional: only \`npm run db:up\` needs it).`,
      fix: 'Install the Compose plugin (Docker Desktop includes it; on Linux, the docker-compose-plugin package, see https://docs.docker.com/compose/install/linux/) before `npm run db:up`; or skip Docker, since the workshop finds or starts a MongoDB by itself.',
    })
  })

  it('names an engine that does not answer when the plugin is there', async () => {
    const finding = await checkDocker(fakeDocker({ client, compose }).run)
    expect(finding.status).toBe('warn')
    expect(finding.text).toBe(
      `Docker: ${client}, but its engine does not answer (optional: only \`npm run db:up\` needs it).`,
    )
    expect(finding.fix).toMatch(/^Start Docker Desktop or the docker service before `npm run db:up`; or skip Docker/)
  })

  it('names both when both are missing (the docker client alone, as on a CI machine)', async () => {
    const finding = await checkDocker(fakeDocker({ client }).run)
    expect(finding.text).toBe(
      `Docker: ${client}, but it has no Compose plugin, so \`docker compose version\` fails and its engine does not answer (optional: only \`npm run db:up\` needs them).`,
    )
    expect(finding.fix).toContain('Install the Compose plugin')
    expect(finding.fix).toContain(', then start Docker Desktop or the docker service before `npm run db:up`')
  })

  it('is fine with the client, the plugin and the engine, and says which versions', async () => {
    expect(await checkDocker(fakeDocker({ client, compose, engine }).run)).toEqual({
      status: 'ok',
      text: `Docker: ${client}, ${compose}, engine ${engine}`,
    })
  })
})

describe('checkPort', () => {
  it('is a problem when the port is taken, with another port to use', async () => {
    const port = await freePort()
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(port, resolve))
    try {
      expect(await checkPort({ PORT: String(port) })).toEqual({
        status: 'fail',
        text: `PORT=${port} is in use, so npm run step cannot listen there.`,
        fix: `Stop the program that uses it (another npm run step?), or choose another port, e.g. PORT=${port + 1} npm run step 1.`,
      })
    } finally {
      blocker.close()
    }
    expect(await checkPort({ PORT: String(port) })).toMatchObject({ status: 'ok' })
  })
})
