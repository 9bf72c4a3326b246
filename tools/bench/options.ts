// What `npm run bench` was asked for: how long to measure, and whether to rewrite docs/benchmarks.md.
// A quick run is for trying the command: its figures stay on the screen unless --write says otherwise,
// so that trying it leaves the committed docs (and the learner's clone) as they were.
import { parseArgs } from 'node:util'
import { UserError } from '../lib/errors.js'

export interface BenchOptions {
  quick: boolean
  /** Seconds of load per configuration. */
  seconds: number
  /** Rewrite docs/benchmarks.md with this run's figures. */
  write: boolean
}

export function parseBenchOptions(args: string[]): BenchOptions {
  const { quick, write } = readFlags(args)
  return { quick, seconds: quick ? 3 : 10, write: !quick || write }
}

function readFlags(args: string[]) {
  try {
    return parseArgs({
      args,
      options: { quick: { type: 'boolean', default: false }, write: { type: 'boolean', default: false } },
      allowPositionals: false,
    }).values
  } catch (error) {
    throw new UserError(
      `${(error as Error).message}: the options are --quick (3 s per configuration, docs/benchmarks.md left alone) and --write (rewrite docs/benchmarks.md after a quick run too), as in \`npm run bench -- --quick\`.`,
    )
  }
}
