// What `npm run bench` was asked for. The session-store benchmark: how long to measure, and
// whether to rewrite docs/benchmarks.md (a quick run is for trying the command: its figures stay on
// the screen unless --write says otherwise, so trying it leaves the committed docs as they were).
// The feedback benchmark (--feedback): how many samples, which steps, which workshop folder.
import { isAbsolute, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { UserError } from '../../lib/errors.js'

export interface BenchOptions {
  quick: boolean
  /** Seconds of load per configuration. */
  seconds: number
  /** Rewrite the docs file (docs/benchmarks.md, or docs/feedback.md with --feedback) with this run's figures. */
  write: boolean
  /** Measure how long a learner waits for verdicts instead of what a store costs. */
  feedback: boolean
  /** Samples of each feedback figure. */
  samples: number
  /** The steps whose guided-mode latency is measured (feedback); empty: every step. */
  steps: number[]
  /** The workshop folder the feedback benchmark copies and measures (default: this one). */
  root: string | undefined
}

export function parseBenchOptions(args: string[]): BenchOptions {
  const { quick, write, feedback, samples, steps, root } = readFlags(args)
  const count = Number(samples)
  if (!Number.isInteger(count) || count < 1)
    throw new UserError(`--samples takes a whole number from 1, not "${samples}".`)
  const numbers = steps ? steps.split(',').map((value) => Number(value.trim())) : []
  if (numbers.some((value) => !Number.isInteger(value) || value < 1)) {
    throw new UserError(`--steps takes step numbers separated by commas, as in --steps 2,5,8, not "${steps}".`)
  }
  return {
    quick,
    seconds: quick ? 3 : 10,
    write: feedback ? write : !quick || write,
    feedback,
    samples: count,
    steps: numbers,
    root: root === undefined ? undefined : isAbsolute(root) ? root : resolve(root),
  }
}

function readFlags(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        quick: { type: 'boolean', default: false },
        write: { type: 'boolean', default: false },
        feedback: { type: 'boolean', default: false },
        samples: { type: 'string', default: '5' },
        steps: { type: 'string' },
        root: { type: 'string' },
      },
      allowPositionals: false,
    }).values
  } catch (error) {
    throw new UserError(
      `${(error as Error).message}: the options are --quick (3 s per configuration, docs/benchmarks.md left alone), --write (rewrite the docs file after a quick run too), and --feedback [--samples N] [--steps 2,5] [--root DIR], as in \`npm run bench -- --quick\`.`,
    )
  }
}
