// `npm test` proves the workshop in both directions (as rustlings does):
//   - every solutions/NN passes checks 1..NN (one project per solution, below);
//   - every steps/NN passes checks 1..NN-1 and FAILS check NN, through `npm run check N` itself,
//     and carries its tasks and hints (test/workshop/);
//   - the runner's own tests (test/tools/), and the finished server under load and faults (test/load/).
// The check projects are set up as the runner behind `npm run check` sets them up (check-settings.ts).
import { defineConfig } from 'vitest/config'
import { checkProject, maxWorkers, timeouts } from './tools/lib/check-settings.js'
import { display, listSteps } from './tools/lib/steps.js'
import { checkFilesFor } from './tools/lib/verdict.js'

const steps = listSteps()

export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    ...timeouts,
    maxWorkers,
    projects: [
      ...steps.map((step) =>
        checkProject(
          `solutions/${step.name}`,
          checkFilesFor(step, steps).map((file) => display(file)),
          // The run's MongoDB comes from the global setup.
          { workshopDir: display(step.solutionDir), stepUnderTest: step.name },
        ),
      ),
      { extends: true, test: { name: 'tools', include: ['test/tools/**/*.test.ts'] } },
      { extends: true, test: { name: 'load', include: ['test/load/**/*.test.ts'] } },
      { extends: true, test: { name: 'workshop', include: ['test/workshop/**/*.test.ts'] } },
    ],
  },
})
