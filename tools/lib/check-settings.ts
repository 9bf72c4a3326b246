// The one vitest configuration of the checks, shared by `npm test` (vitest.config.ts) and by the
// runner behind `npm run check`, guided mode and progress (run-checks.ts).
import { availableParallelism } from 'node:os'
import type { TestProjectConfiguration } from 'vitest/config'

/**
 * The checks set their own time limits, measured against the machine's and MongoDB's pace, and
 * each says in a sentence what took too long; vitest's own limit is a last resort far beyond them.
 */
export const timeouts = { testTimeout: 180_000, hookTimeout: 180_000 }

/**
 * Check files wait on MongoDB and on the processes they start more than they compute: one worker
 * per core (vitest's default is one fewer, a single one on 2 cores).
 */
export const maxWorkers = availableParallelism()

/** What vitest provides a check file: the folder under test, its step, and the run's MongoDB. */
export interface CheckProvide {
  workshopDir: string
  stepUnderTest: string
  /** '' or left out when the folder keeps no sessions in MongoDB: the checks then look for none. */
  mongoUrl?: string
  firstFailureOnly?: boolean
  typeSentences?: string[]
}

/**
 * A folder under test as a vitest project: its check files run in one worker thread, reused for
 * all of them, so the libraries every check imports (express, mongodb, supertest) load once.
 */
export function checkProject(name: string, include: string[], provide: CheckProvide): TestProjectConfiguration {
  return { extends: true, test: { name, include, provide, pool: 'threads', isolate: false } }
}
