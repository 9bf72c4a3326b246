// Is Docker ready for `npm run db:*`? The docker client, its Compose plugin and the engine are asked
// one by one, because each can be missing on its own and each has its own fix. Used by the doctor
// and by tools/db.ts.
import { execFile } from 'node:child_process'
import { UserError } from './errors.js'

/** Runs a program to its end; never throws: a missing program or a failure is `ok: false`. */
export type RunCommand = (
  command: string,
  args: string[],
  timeoutMs: number,
) => Promise<{ ok: boolean; output: string }>

export const runCommand: RunCommand = (command, args, timeoutMs) =>
  new Promise((resolve) => {
    execFile(command, args, { timeout: timeoutMs, windowsHide: true }, (error, stdout, stderr) => {
      resolve({ ok: !error, output: `${stdout}${stderr}`.trim() })
    })
  })

/** What answered; a missing field is a missing piece. */
export interface DockerStatus {
  /** `docker --version`, e.g. "Docker version 28.2.2, build e6534b4". */
  client?: string
  /** `docker compose version`, e.g. "Docker Compose version v2.37.1". */
  compose?: string
  /** The engine's version, from `docker info`. */
  engine?: string
}

export async function probeDocker(run: RunCommand = runCommand): Promise<DockerStatus> {
  const client = await run('docker', ['--version'], 5000)
  if (!client.ok) return {}
  // The plugin and the engine do not depend on each other: ask both, so one answer names all that is missing.
  const [compose, engine] = await Promise.all([
    run('docker', ['compose', 'version'], 5000),
    run('docker', ['info', '--format', '{{.ServerVersion}}'], 8000),
  ])
  return {
    client: firstLine(client.output),
    ...(compose.ok ? { compose: firstLine(compose.output) } : {}),
    ...(engine.ok ? { engine: firstLine(engine.output) } : {}),
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.trim() ?? ''
}

export const composeFix =
  'install the Compose plugin (Docker Desktop includes it; on Linux, the docker-compose-plugin package, see https://docs.docker.com/compose/install/linux/)'
export const engineFix = 'start Docker Desktop or the docker service'
export const withoutDocker = 'skip Docker, since the workshop finds or starts a MongoDB by itself'

/** The npm scripts `db:<command>` and the docker command each one runs. */
export const composeArgs = {
  up: ['compose', 'up', '-d', '--wait', 'mongo'],
  down: ['compose', 'down'],
  'replica:up': ['compose', '--profile', 'replica', 'up', '-d', '--wait', 'mongo-replica'],
  'replica:down': ['compose', '--profile', 'replica', 'stop', 'mongo-replica'],
} as const satisfies Record<string, readonly string[]>

export type DbCommand = keyof typeof composeArgs

export function isDbCommand(name: string | undefined): name is DbCommand {
  return name !== undefined && Object.hasOwn(composeArgs, name)
}

/** What a learner can do instead, for the commands that start something. */
const instead: Partial<Record<DbCommand, string>> = {
  up: withoutDocker,
  'replica:up': 'do without the replica set, since step 9 and its checks run against a single MongoDB',
}

/** The one sentence that says why `npm run db:<command>` cannot run here, or undefined when Docker is ready. */
export function dockerProblem(docker: DockerStatus, command: DbCommand): string | undefined {
  const script = `npm run db:${command}`
  const or = instead[command] ? `; or ${instead[command]}` : ''
  if (!docker.client)
    return `${script} needs Docker, and the docker command is not installed: install Docker Desktop (or Docker Engine and its Compose plugin)${or}.`
  if (!docker.compose && !docker.engine)
    return `${script} needs Docker Compose and a running Docker engine, and this docker (${docker.client}) has neither: ${composeFix}, then ${engineFix}${or}.`
  if (!docker.compose)
    return `${script} needs Docker Compose, and this docker (${docker.client}) has no Compose plugin (\`docker compose version\` fails): ${composeFix}${or}.`
  if (!docker.engine)
    return `${script} needs the Docker engine, and it does not answer (\`docker info\` fails): ${engineFix}, then run ${script} again${or}.`
  return undefined
}

/** The docker arguments for `npm run db:<command>`, once Docker is known to be ready; else a UserError. */
export async function prepareCompose(command: DbCommand, run: RunCommand = runCommand): Promise<readonly string[]> {
  const problem = dockerProblem(await probeDocker(run), command)
  if (problem) throw new UserError(problem)
  return composeArgs[command]
}
