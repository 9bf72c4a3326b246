// npm run db:up, db:down, db:replica:up, db:replica:down: MongoDB with Docker Compose. Checks first
// that the docker client, its Compose plugin and the engine are there, since docker itself answers a
// missing plugin with its usage text ("unknown shorthand flag: 'd' in -d"); then runs the compose
// command with its output passed through. db:down also stops this workspace's embedded MongoDB, and
// without Docker that is all it does.
import { spawn } from 'node:child_process'
import { composeArgs, type DockerStatus, isDbCommand, prepareCompose, probeDocker } from './lib/docker.js'
import { stopEmbedded } from './lib/embedded.js'
import { runMain, UserError } from './lib/errors.js'
import { rootDir } from './lib/steps.js'

runMain(async () => {
  const [command, ...rest] = process.argv.slice(2)
  if (!isDbCommand(command) || rest.length > 0) {
    const names = Object.keys(composeArgs).map((name) => `db:${name}`)
    throw new UserError(
      `tools/db.ts takes one of ${Object.keys(composeArgs).join(', ')} and nothing else: run it as npm run ${names.join(', npm run ')}.`,
    )
  }
  if (command === 'down') {
    const stopped = await stopEmbedded(rootDir)
    console.log(
      stopped
        ? `Stopped this workspace's embedded MongoDB (127.0.0.1:${stopped.port}); its data stays in ${stopped.dataDir} for its next start.`
        : "This workspace's embedded MongoDB is not running.",
    )
    // Nothing runs in Docker without a Compose plugin and an engine: nothing to stop there.
    const missing = dockerMissing(await probeDocker())
    if (missing) {
      console.log(`No MongoDB of Docker Compose to stop: ${missing}.`)
      return 0
    }
  }
  const args = await prepareCompose(command)
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn('docker', args, { cwd: rootDir, stdio: 'inherit' })
    child.once('error', reject)
    child.once('exit', (exitCode) => resolve(exitCode))
  })
  if (code !== 0)
    throw new UserError(
      `docker ${args.join(' ')} failed (exit code ${code ?? 'none'}): docker's own message is above; npm run doctor checks Docker and MongoDB.`,
    )
  return 0
})

/** Why Docker Compose cannot be running a MongoDB here, or undefined when it could be. */
function dockerMissing(docker: DockerStatus): string | undefined {
  if (!docker.client) return 'docker is not installed'
  if (!docker.engine) return 'the Docker engine does not run'
  if (!docker.compose) return 'docker has no Compose plugin'
  return undefined
}
