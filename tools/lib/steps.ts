// The workshop's steps, read from the folders on disk: steps/NN-slug and solutions/NN-slug.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { UserError } from './errors.js'

export const rootDir = resolve(fileURLToPath(import.meta.url), '../../..')

export interface Step {
  number: number
  /** "03" */
  id: string
  /** "03-mongo-store" */
  name: string
  /** The lesson's first heading. */
  title: string
  /** Absolute paths. */
  stepDir: string
  solutionDir: string
  checkFile: string
  /** Steps from 03 on keep sessions in MongoDB. */
  usesMongo: boolean
}

const folderPattern = /^(\d\d)-[a-z0-9-]+$/

export function listSteps(root = rootDir): Step[] {
  const folders = readdirSync(join(root, 'steps'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && folderPattern.test(entry.name))
    .map((entry) => entry.name)
    .sort()
  return folders.map((name) => {
    const id = name.slice(0, 2)
    const solutionDir = join(root, 'solutions', name)
    const readme = join(root, 'steps', name, 'README.md')
    const heading = existsSync(readme) ? /^#\s+(.+)$/m.exec(readFileSync(readme, 'utf8')) : null
    return {
      number: Number(id),
      id,
      name,
      // "# 03 · Keep sessions in MongoDB" → "Keep sessions in MongoDB"
      title: heading?.[1]?.replace(/^\d+\s*·\s*/, '').trim() ?? name,
      stepDir: join(root, 'steps', name),
      solutionDir,
      checkFile: join(root, 'test', `${name}.test.ts`),
      usesMongo: existsSync(join(solutionDir, 'store.ts')),
    }
  })
}

/** Turns what the learner typed after `npm run step` into a step, or explains what to type. */
export function parseStep(arg: string | undefined, steps: Step[], command: string): Step {
  const first = steps[0]
  const last = steps.at(-1)
  if (!first || !last) throw new UserError('No steps found in steps/: restore the folder with `git checkout -- steps`.')
  const range = `${first.number} to ${last.number}`
  if (arg === undefined || arg.trim() === '') {
    throw new UserError(
      `Which step? Add its number, for example \`npm run ${command} ${first.number}\` (steps ${range}).`,
    )
  }
  if (!/^\d+$/.test(arg.trim())) {
    throw new UserError(
      `"${arg}" is not a step number: use a number from ${range}, for example \`npm run ${command} ${first.number}\`.`,
    )
  }
  const step = steps.find((candidate) => candidate.number === Number(arg))
  if (!step) throw new UserError(`There is no step ${Number(arg)}: this workshop has steps ${range}.`)
  return step
}

/** The folder a command works on: the learner's copy, or the finished one with --solution. */
export function folderOf(step: Step, solution: boolean): string {
  return solution ? step.solutionDir : step.stepDir
}

export function display(path: string, root = rootDir): string {
  return relative(root, path).split('\\').join('/')
}
