// `npm test` proves the workshop in both directions (as rustlings does):
//   - every solutions/NN passes checks 1..NN;
//   - every steps/NN passes checks 1..NN-1 (test/workshop/ proves it still FAILS check NN);
//   - the runner's own tests (test/tools/) and the workshop's rules (test/workshop/).
// `npm run check N` does not use this file: tools/check.ts configures its own single run.
import { defineConfig, type TestProjectConfiguration } from 'vitest/config'
import { display, listSteps } from './tools/lib/steps.js'

const steps = listSteps()
const checksUpTo = (n: number) => steps.filter((step) => step.number <= n).map((step) => display(step.checkFile))

const checkProjects: TestProjectConfiguration[] = steps.flatMap((step) => {
  const solution: TestProjectConfiguration = {
    extends: true,
    test: { name: `solutions/${step.name}`, include: checksUpTo(step.number), env: { WORKSHOP_DIR: display(step.solutionDir) } },
  }
  const earlier = checksUpTo(step.number - 1)
  if (earlier.length === 0) return [solution]
  const starter: TestProjectConfiguration = {
    extends: true,
    test: { name: `steps/${step.name}`, include: earlier, env: { WORKSHOP_DIR: display(step.stepDir) } },
  }
  return [solution, starter]
})

export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      ...checkProjects,
      { extends: true, test: { name: 'tools', include: ['test/tools/**/*.test.ts'] } },
      { extends: true, test: { name: 'workshop', include: ['test/workshop/**/*.test.ts'] } },
    ],
  },
})
