// `npm test` proves the workshop in both directions (as rustlings does):
//   - every solutions/NN passes checks 1..NN (one project per solution, below);
//   - every steps/NN passes checks 1..NN-1 and FAILS check NN, through `npm run check N` itself,
//     and carries its tasks and hints (test/workshop/);
//   - the runner's own tests (test/tools/).
// `npm run check N` does not use this file: tools/check.ts configures its own single run.
import { availableParallelism } from 'node:os'
import { defineConfig, type TestProjectConfiguration } from 'vitest/config'
import { display, listSteps } from './tools/lib/steps.js'

const steps = listSteps()

const solutionProjects: TestProjectConfiguration[] = steps.map((step) => ({
  extends: true,
  test: {
    name: `solutions/${step.name}`,
    include: steps.filter((check) => check.number <= step.number).map((check) => display(check.checkFile)),
    provide: { workshopDir: display(step.solutionDir) },
    // As `npm run check` runs them: one worker thread per folder, its libraries loaded once.
    pool: 'threads',
    isolate: false,
  },
}))

export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Most test files wait (on MongoDB, on the processes they start) more than they compute: one
    // worker more than there are cores, not vitest's default of one fewer.
    maxWorkers: availableParallelism() + 1,
    projects: [
      ...solutionProjects,
      { extends: true, test: { name: 'tools', include: ['test/tools/**/*.test.ts'] } },
      { extends: true, test: { name: 'load', include: ['test/load/**/*.test.ts'], testTimeout: 120_000 } },
      { extends: true, test: { name: 'workshop', include: ['test/workshop/**/*.test.ts'], testTimeout: 120_000 } },
    ],
  },
})
