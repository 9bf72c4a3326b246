// npm run db:up, db:down, db:replica:up, db:replica:down: MongoDB with Docker Compose. Checks first
// that the docker client, its Compose plugin and the engine are there, since docker itself answers a
// missing plugin with its usage text ("unknown shorthand flag: 'd' in -d"); then runs the compose
// command with its output passed through.
import { spawn } from 'node:child_process'
import { composeArgs, isDbCommand, prepareCompose } from './lib/docker.js'
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
