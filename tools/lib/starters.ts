// The starters as they were handed out, kept where the learner does not edit them, so that
// `npm run reset N` can restore a step (and `npm run progress` can tell an untouched step).
//
// The first workshop command that sees a step copies it to .workshop/starters/NN-slug/ (git-ignored):
//   - from git, when the folder is tracked: the committed version (HEAD), even if the files on disk
//     were already edited;
//   - else from the files on disk (a copy without git history, e.g. a downloaded zip), which are
//     the starter as long as no workshop command ran before they were edited.
// The copy is never refreshed; deleting .workshop/starters/NN-slug takes a new one.
import { execFileSync } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { rootDir, type Step } from './steps.js'

/** Relative path ("app.ts") → content. */
export type FolderFiles = Map<string, Buffer>

export interface StarterComparison {
  /** Files whose content differs from the starter. */
  changed: string[]
  /** Files the learner added (the starter does not have them). */
  added: string[]
  /** Starter files that are gone from the learner's folder. */
  missing: string[]
}

export function startersDir(root = rootDir): string {
  return join(root, '.workshop', 'starters')
}

export function starterDir(step: Step, root = rootDir): string {
  return join(startersDir(root), step.name)
}

/** Copies every step that has no starter copy yet. Returns the names of the steps copied. */
export function ensureStarters(steps: Step[], root = rootDir): string[] {
  const copied: string[] = []
  for (const step of steps) {
    if (existsSync(starterDir(step, root))) continue
    const files = filesFromGit(step, root) ?? readFolder(step.stepDir)
    writeStarter(step, files, root)
    copied.push(step.name)
  }
  return copied
}

/** The step's starter files (taking the copy first if there is none). */
export function starterFiles(step: Step, root = rootDir): FolderFiles {
  ensureStarters([step], root)
  return readFolder(starterDir(step, root))
}

/** Every file under dir, by path relative to dir (forward slashes); node_modules skipped. */
export function readFolder(dir: string): FolderFiles {
  const files: FolderFiles = new Map()
  if (!existsSync(dir)) return files
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name)
      if (entry.isDirectory() && entry.name !== 'node_modules') walk(path)
      else if (entry.isFile()) files.set(relative(dir, path).split('\\').join('/'), readFileSync(path))
    }
  }
  walk(dir)
  return files
}

/** Same text, whatever the line endings (git may turn LF into CRLF on Windows). */
export function sameContent(a: Buffer, b: Buffer): boolean {
  return a.equals(b) || a.toString('utf8').replace(/\r\n/g, '\n') === b.toString('utf8').replace(/\r\n/g, '\n')
}

export function compareFolders(mine: FolderFiles, starter: FolderFiles): StarterComparison {
  const changed: string[] = []
  const added: string[] = []
  const missing: string[] = []
  for (const [path, content] of mine) {
    const original = starter.get(path)
    if (!original) added.push(path)
    else if (!sameContent(content, original)) changed.push(path)
  }
  for (const path of starter.keys()) if (!mine.has(path)) missing.push(path)
  return { changed: changed.sort(), added: added.sort(), missing: missing.sort() }
}

export function compareWithStarter(step: Step, root = rootDir): StarterComparison {
  return compareFolders(readFolder(step.stepDir), starterFiles(step, root))
}

export function isUntouched(comparison: StarterComparison): boolean {
  return comparison.changed.length + comparison.added.length + comparison.missing.length === 0
}

/** Makes steps/NN-slug the starter again: rewrites changed and missing files, deletes added ones. */
export function restoreStarter(step: Step, root = rootDir): StarterComparison {
  const starter = starterFiles(step, root)
  const comparison = compareFolders(readFolder(step.stepDir), starter)
  for (const path of comparison.added) unlinkSync(join(step.stepDir, path))
  for (const path of [...comparison.changed, ...comparison.missing]) {
    const target = join(step.stepDir, path)
    mkdirSync(dirname(target), { recursive: true })
    writeFileSync(target, starter.get(path) ?? Buffer.alloc(0))
  }
  return comparison
}

/** The committed version of steps/NN-slug, or undefined without git or when it is not tracked. */
function filesFromGit(step: Step, root: string): FolderFiles | undefined {
  const folder = relative(root, step.stepDir).split('\\').join('/')
  const git = (args: string[]) =>
    execFileSync('git', ['-C', root, ...args], { stdio: ['ignore', 'pipe', 'ignore'], windowsHide: true })
  try {
    const paths = git(['ls-tree', '-r', '--name-only', 'HEAD', '--', folder])
      .toString('utf8')
      .split('\n')
      .filter(Boolean)
    if (paths.length === 0) return undefined
    const files: FolderFiles = new Map()
    // --filters: the bytes a checkout writes (line endings as configured), so untouched files compare equal.
    for (const path of paths) files.set(path.slice(folder.length + 1), git(['cat-file', '--filters', `HEAD:./${path}`]))
    return files
  } catch {
    return undefined
  }
}

/** Writes the copy to a temporary folder first, so a copy is either complete or absent. */
function writeStarter(step: Step, files: FolderFiles, root: string): void {
  const target = starterDir(step, root)
  const temporary = `${target}.${process.pid}.tmp`
  rmSync(temporary, { recursive: true, force: true })
  for (const [path, content] of files) {
    mkdirSync(dirname(join(temporary, path)), { recursive: true })
    writeFileSync(join(temporary, path), content)
  }
  mkdirSync(temporary, { recursive: true })
  try {
    renameSync(temporary, target)
  } catch (error) {
    // Another workshop command took the same copy at the same moment: keep theirs.
    rmSync(temporary, { recursive: true, force: true })
    if (!existsSync(target)) throw error
  }
}
