// A stand-in for the docker program, for tests of what the doctor and `npm run db:*` decide: each
// subcommand answers what the test says, or fails as it does on a machine without that piece.
import type { RunCommand } from '../../tools/lib/docker.js'

export interface FakeDocker {
  run: RunCommand
  /** Every command asked, as "docker compose version". */
  calls: string[]
}

/**
 * `client`: the answer of `docker --version` (undefined: docker is not installed); `compose`: of
 * `docker compose version` (undefined: no Compose plugin); `engine`: of `docker info` (undefined:
 * the engine does not answer).
 */
export function fakeDocker(answers: { client?: string; compose?: string; engine?: string }): FakeDocker {
  const calls: string[] = []
  const run: RunCommand = async (command, args) => {
    calls.push([command, ...args].join(' '))
    if (command !== 'docker' || answers.client === undefined) return { ok: false, output: `spawn ${command} ENOENT` }
    const answer = args[0] === '--version' ? answers.client : args[0] === 'compose' ? answers.compose : answers.engine
    if (answer !== undefined) return { ok: true, output: `${answer}\n` }
    return args[0] === 'compose'
      ? { ok: false, output: "docker: unknown command: docker compose\n\nRun 'docker --help' for more information" }
      : {
          ok: false,
          output: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
        }
  }
  return { run, calls }
}

export const client = 'Docker version 28.2.2, build e6534b4'
export const compose = 'Docker Compose version v2.37.1'
export const engine = '28.2.2'
