// A throwaway copy of the workshop, for tests that change a learner's files: steps/, solutions/,
// the checks, the tools and the configuration, with node_modules linked (not copied). No git
// history, like a downloaded zip. The repository's own steps/ is never touched.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ensureStarters } from '../../tools/lib/starters.js'
import { listSteps, rootDir, type Step } from '../../tools/lib/steps.js'

export interface WorkshopCopy {
  root: string
  /** Absolute path inside the copy. */
  path(...parts: string[]): string
  read(...parts: string[]): string
  write(content: string, ...parts: string[]): void
  /** Copies a solution's files (all of them by default) over the learner's step: the step is solved. */
  solve(step: Step, ...files: string[]): void
  /** Adds a syntax error at the end of a file. */
  breakFile(...parts: string[]): void
  remove(): void
}

export function copyWorkshop(): WorkshopCopy {
  const root = mkdtempSync(join(tmpdir(), 'workshop-copy-'))
  for (const entry of [
    'package.json',
    'tsconfig.json',
    'steps.json',
    'README.md',
    'WORKSHOP.md',
    'tools',
    'steps',
    'solutions',
  ]) {
    cpSync(join(rootDir, entry), join(root, entry), { recursive: true })
  }
  // The checks and what they share; not the repository's own tests.
  cpSync(join(rootDir, 'test', 'support'), join(root, 'test', 'support'), { recursive: true })
  for (const file of readdirSync(join(rootDir, 'test')).filter((name) => name.endsWith('.test.ts'))) {
    cpSync(join(rootDir, 'test', file), join(root, 'test', file))
  }
  symlinkSync(join(rootDir, 'node_modules'), join(root, 'node_modules'), 'junction')
  // As after the learner's first workshop command: the starters are kept before any edit.
  ensureStarters(listSteps(root), root)
  const path = (...parts: string[]) => join(root, ...parts)
  const read = (...parts: string[]) => readFileSync(path(...parts), 'utf8')
  return {
    root,
    path,
    read,
    write: (content, ...parts) => writeFileSync(path(...parts), content),
    solve: (step, ...files) => {
      for (const file of files.length > 0 ? files : readdirSync(path('solutions', step.name))) {
        cpSync(path('solutions', step.name, file), path('steps', step.name, file))
      }
    },
    breakFile: (...parts) => writeFileSync(path(...parts), `${read(...parts)}\nexport function broken( {\n`),
    remove: () => rmSync(root, { recursive: true, force: true }),
  }
}
