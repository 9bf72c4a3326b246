// npm run steps:build [-- --check]: writes every step's starter (the previous solution with the
// step's 🐨 tasks where their code goes) and the code of every 💰 rung in its hints.md, from
// solutions/ and the tasks in hints.md, and the steps' tables of README.md and WORKSHOP.md from
// steps.json. --check writes nothing and fails when a file is stale.
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { runMain, UserError } from '../lib/errors.js'
import { buildStep } from '../lib/step-source.js'
import { display, listSteps, rootDir, type Step } from '../lib/steps.js'

runMain(async () => {
  const { values } = parseCommandLine()
  const steps = listSteps()
  /** path → what it should hold (undefined: it should not exist). */
  const wanted = new Map<string, string | undefined>()
  const broken: string[] = []
  for (const step of steps) {
    let built: ReturnType<typeof buildStep>
    try {
      built = buildStep(step, steps)
    } catch (error) {
      if (!(error instanceof UserError)) throw error
      broken.push(`🚨 ${error.message}`)
      continue
    }
    for (const [file, content] of built.starter) wanted.set(join(step.stepDir, file), content)
    wanted.set(join(step.stepDir, 'hints.md'), built.hints)
    wanted.set(join(step.stepDir, 'tsconfig.json'), readFileSync(join(step.solutionDir, 'tsconfig.json'), 'utf8'))
    // A code file the solution no longer has goes from the starter too.
    for (const file of existsSync(step.stepDir) ? readdirSync(step.stepDir) : []) {
      if (file.endsWith('.ts') && !built.starter.has(file)) wanted.set(join(step.stepDir, file), undefined)
    }
  }
  // The steps' tables of README.md and WORKSHOP.md, between their markers.
  for (const [file, row] of [
    ['README.md', (step: Step) => `| ${step.id} · ${step.title} | ${step.summary} |`],
    ['WORKSHOP.md', (step: Step) => `| ${step.id} | \`steps/${step.name}\` | ${step.summary} |`],
  ] as const) {
    const path = join(rootDir, file)
    const text = readFileSync(path, 'utf8')
    const table = /(<!-- steps table: begin -->\n(?:\|[^\n]*\n){2})(?:\|[^\n]*\n)*(<!-- steps table: end -->)/
    if (!table.test(text)) {
      broken.push(`🚨 ${file} has no steps table between <!-- steps table: begin --> and <!-- steps table: end -->.`)
      continue
    }
    wanted.set(
      path,
      text.replace(table, (_all, head: string, end: string) => `${head}${steps.map(row).join('\n')}\n${end}`),
    )
  }
  if (broken.length > 0) {
    for (const problem of broken.slice(0, -1)) console.error(problem)
    throw new UserError((broken.at(-1) ?? '').replace(/^🚨 /, ''))
  }
  const stale = [...wanted].filter(([path, content]) => {
    const now = existsSync(path) ? readFileSync(path, 'utf8') : undefined
    return now !== content
  })
  if (values.check) {
    if (stale.length === 0) {
      console.log(`steps/ is up to date: ${steps.length} starters and their hints match solutions/ and the tasks.`)
      return 0
    }
    for (const [path] of stale) console.error(`✗ ${display(path)}`)
    throw new UserError(
      `${stale.length} file${stale.length === 1 ? ' in steps/ is' : 's in steps/ are'} not what solutions/ and the tasks in hints.md make of them (listed above): run npm run steps:build, then commit the result.`,
    )
  }
  if (!values.force) refuseToOverwriteEdits(stale.map(([path]) => path))
  for (const [path, content] of stale) {
    if (content === undefined) rmSync(path)
    else writeFileSync(path, content)
    console.log(`${content === undefined ? 'removed' : 'wrote'} ${display(path)}`)
  }
  console.log(stale.length === 0 ? 'steps/ was up to date.' : `${stale.length} files written.`)
  return 0
})

/** A starter with uncommitted edits may be someone's work: it is not overwritten without --force. */
function refuseToOverwriteEdits(paths: string[]): void {
  let edited: string[] = []
  try {
    const status = execFileSync('git', ['status', '--porcelain', '--', 'steps'], { cwd: rootDir, encoding: 'utf8' })
    const changed = new Set(status.split('\n').map((line) => line.slice(3).trim()))
    edited = paths.map((path) => display(path)).filter((path) => changed.has(path) && path.endsWith('.ts'))
  } catch {
    return // no git: nothing to compare with
  }
  if (edited.length > 0) {
    throw new UserError(
      `${edited.join(', ')} ${edited.length === 1 ? 'has' : 'have'} changes git has not committed, which this would overwrite: commit or stash them, or run npm run steps:build -- --force.`,
    )
  }
}

function parseCommandLine() {
  try {
    return parseArgs({
      options: { check: { type: 'boolean', default: false }, force: { type: 'boolean', default: false } },
      allowPositionals: false,
    })
  } catch (error) {
    throw new UserError(`${(error as Error).message}: the options are --check and --force.`)
  }
}
