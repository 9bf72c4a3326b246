// A throwaway copy of the workshop, for tests that change a learner's files: steps/, solutions/,
// the checks, the tools and the configuration, with node_modules linked (not copied). No git
// history, like a downloaded zip. The repository's own steps/ is never touched.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ensureStarters } from '../../tools/lib/starters.js'
import { listSteps, rootDir } from '../../tools/lib/steps.js'

export interface WorkshopCopy {
  root: string
  /** Absolute path inside the copy. */
  path(...parts: string[]): string
  read(...parts: string[]): string
  write(content: string, ...parts: string[]): void
  remove(): void
}

export function copyWorkshop(): WorkshopCopy {
  const root = mkdtempSync(join(tmpdir(), 'workshop-copy-'))
  for (const entry of ['package.json', 'tsconfig.json', 'tools', 'steps', 'solutions']) {
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
  return {
    root,
    path: (...parts) => join(root, ...parts),
    read: (...parts) => readFileSync(join(root, ...parts), 'utf8'),
    write: (content, ...parts) => writeFileSync(join(root, ...parts), content),
    remove: () => rmSync(root, { recursive: true, force: true }),
  }
}
