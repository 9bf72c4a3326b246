// The workshop's steps, read from steps.json (their order, slugs, titles and what each offers the
// checks); a step's number, folders and check file follow from its place in that list.
import { existsSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { UserError } from './errors.js'

export const rootDir = resolve(fileURLToPath(import.meta.url), '../../..')

/** What a step's code offers the checks, from that step on. */
export interface Contract {
  /** Sessions live in MongoDB: the runner finds one, the checks give each test a database. */
  database: boolean
  /** What createSessionStore() in store.ts takes: a MongoDB URL, or the app's MongoClient. */
  store: 'none' | 'url' | 'client'
}

export interface Step {
  number: number
  /** "03" */
  id: string
  /** "mongo-store" */
  slug: string
  /** "03-mongo-store": the folders' and the check file's name. */
  name: string
  title: string
  /** What the learner builds, in a line (README.md's and WORKSHOP.md's tables). */
  summary: string
  /** Absolute paths. */
  stepDir: string
  solutionDir: string
  checkFile: string
  contract: Contract
  /** Keeps sessions in MongoDB (contract.database). */
  usesMongo: boolean
}

interface ManifestEntry {
  slug: string
  title: string
  summary: string
  contract?: Partial<Contract>
}

const slugPattern = /^[a-z0-9]+(-[a-z0-9]+)*$/

/** The manifest's entries, checked: a mistake in steps.json is one sentence. */
export function readManifest(root = rootDir): ManifestEntry[] {
  const file = join(root, 'steps.json')
  let parsed: { steps?: unknown }
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as { steps?: unknown }
  } catch (error) {
    throw new UserError(
      `steps.json cannot be read (${(error as Error).message.split('\n')[0]}): restore it with \`git checkout -- steps.json\`.`,
    )
  }
  if (!Array.isArray(parsed.steps) || parsed.steps.length === 0) {
    throw new UserError('steps.json lists no steps: restore it with `git checkout -- steps.json`.')
  }
  const seen = new Set<string>()
  return parsed.steps.map((entry: Partial<ManifestEntry>, index) => {
    const where = `steps.json, step ${index + 1}`
    if (typeof entry.slug !== 'string' || !slugPattern.test(entry.slug) || seen.has(entry.slug)) {
      throw new UserError(`${where}: "slug" should be a new name of lowercase letters, digits and dashes.`)
    }
    if (typeof entry.title !== 'string' || entry.title.trim() === '') {
      throw new UserError(`${where}: "title" should say in a few words what the step builds.`)
    }
    if (typeof entry.summary !== 'string' || entry.summary.trim() === '') {
      throw new UserError(`${where}: "summary" should say in a line what the learner builds.`)
    }
    seen.add(entry.slug)
    return { slug: entry.slug, title: entry.title, summary: entry.summary, contract: entry.contract }
  })
}

export function listSteps(root = rootDir): Step[] {
  let contract: Contract = { database: false, store: 'none' }
  return readManifest(root).map((entry, index) => {
    contract = { ...contract, ...entry.contract }
    const number = index + 1
    const id = String(number).padStart(2, '0')
    const name = `${id}-${entry.slug}`
    return {
      number,
      id,
      slug: entry.slug,
      name,
      title: entry.title,
      summary: entry.summary,
      stepDir: join(root, 'steps', name),
      solutionDir: join(root, 'solutions', name),
      checkFile: join(root, 'test', `${name}.test.ts`),
      contract,
      usesMongo: contract.database,
    }
  })
}

/** The step a folder holds (steps/NN-slug, solutions/NN-slug, or a copy named after it), if any. */
export function stepOfFolder(dir: string, steps: Step[]): Step | undefined {
  const base = dir.replace(/[\\/]+$/, '').replace(/^.*[\\/]/, '')
  return steps.find((step) => base === step.name || base.endsWith(`-${step.name}`))
}

/** Turns what the learner typed after `npm run step` into a step, or explains what to type. */
export function parseStep(arg: string | undefined, steps: Step[], command: string): Step {
  const first = steps[0]
  const last = steps.at(-1)
  if (!first || !last)
    throw new UserError('No steps found in steps.json: restore it with `git checkout -- steps.json`.')
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
  if (!existsSync(step.stepDir)) {
    throw new UserError(
      `The folder of step ${step.number}, ${display(step.stepDir)}, is missing: restore it with \`git checkout -- ${display(step.stepDir)}\`.`,
    )
  }
  return step
}

/** The folder a command works on: the learner's copy, or the finished one with --solution. */
export function folderOf(step: Step, solution: boolean): string {
  return solution ? step.solutionDir : step.stepDir
}

export function display(path: string, root = rootDir): string {
  return relative(root, path).split('\\').join('/')
}
