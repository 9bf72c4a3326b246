// The learner's progress, kept in .workshop/progress.json (git-ignored): the step guided mode is
// on, each step's last verdict, and how many hints were shown. Written atomically; a file that
// cannot be read is set aside and progress starts afresh.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { rootDir } from './steps.js'

export interface Verdict {
  passed: number
  failed: number
  /** The step folder and its checks when they ran (fingerprint.ts): a verdict holds while it matches. */
  fingerprint: string
  /** ISO date. */
  at: string
  /** The failing checks' names ("check file › test"), the step's own check first: what a hint helps with. */
  failing?: string[]
  /** The files of the step's type errors ("session.ts"), first error first: the task a hint helps with. */
  typeErrorFiles?: string[]
}

/** A run with no check at all (a check file that could not load) is not a pass. */
export function passes(verdict: { passed: number; failed: number }): boolean {
  return verdict.failed === 0 && verdict.passed > 0
}

export interface StepProgress {
  verdict?: Verdict
  /** How many rungs of each task's hints were shown, by task number. */
  hints?: Record<string, number>
}

export interface Progress {
  version: 1
  /** The step guided mode is on, by folder name ("03-mongo-store"). */
  current?: string
  /** By folder name. */
  steps: Record<string, StepProgress>
}

export function progressFile(root = rootDir): string {
  return join(root, '.workshop', 'progress.json')
}

export function loadProgress(root = rootDir): Progress {
  const file = progressFile(root)
  if (!existsSync(file)) return { version: 1, steps: {} }
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<Progress>
    if (parsed.version === 1 && typeof parsed.steps === 'object' && parsed.steps !== null) {
      return {
        version: 1,
        steps: parsed.steps,
        ...(typeof parsed.current === 'string' ? { current: parsed.current } : {}),
      }
    }
  } catch {
    // Unreadable (an editor or a crash mangled it): fall through and start again.
  }
  renameSync(file, `${file}.unreadable`)
  console.error(`(${file} could not be read; it is kept as progress.json.unreadable and progress starts afresh.)`)
  return { version: 1, steps: {} }
}

export function saveProgress(progress: Progress, root = rootDir): void {
  const file = progressFile(root)
  mkdirSync(join(root, '.workshop'), { recursive: true })
  const temporary = `${file}.${process.pid}.tmp`
  writeFileSync(temporary, `${JSON.stringify(progress, null, 2)}\n`)
  renameSync(temporary, file)
}

/** Loads, changes and saves in one go, so two commands that run close together lose little. */
export function updateProgress(change: (progress: Progress) => void, root = rootDir): Progress {
  const progress = loadProgress(root)
  change(progress)
  saveProgress(progress, root)
  return progress
}

export function stepProgress(progress: Progress, name: string): StepProgress {
  progress.steps[name] ??= {}
  return progress.steps[name]
}
