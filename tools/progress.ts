// npm run progress: every step with ✓ or ✗, and the command to continue. Steps changed since
// their last verdict are checked now (all in one run); untouched starters are not started.
import { runMain, UserError } from './lib/errors.js'
import { type ResolvedMongo, resolveMongo } from './lib/mongo.js'
import { loadProgress } from './lib/progress-store.js'
import { continueLine, overall, stepLines, stepToContinue } from './lib/progress-view.js'
import { ensureStarters } from './lib/starters.js'
import { currentStates, knownStates } from './lib/status.js'
import { listSteps } from './lib/steps.js'

runMain(async () => {
  if (process.argv.length > 2) {
    throw new UserError(
      `npm run progress takes no arguments (got "${process.argv.slice(2).join(' ')}"): run it as it is.`,
    )
  }
  const steps = listSteps()
  ensureStarters(steps)
  let mongo: ResolvedMongo | undefined
  const unknown = knownStates(steps).filter((state) => state.kind === 'unknown')
  if (unknown.length > 0) {
    console.log('Checking the steps you changed since their last check…')
    // Only the steps that keep sessions in MongoDB need one.
    if (unknown.some((state) => state.step.usesMongo)) mongo = await resolveMongo()
  }
  try {
    const states = await currentStates(steps, mongo?.url, undefined, (step, summary) => {
      const total = summary.passed + summary.failed
      console.log(
        summary.failed === 0 && summary.passed > 0
          ? `  ✓ ${step.id} · ${step.title}: ${summary.passed} checks pass`
          : `  ✗ ${step.id} · ${step.title}: ${summary.failed} of ${total} checks fail`,
      )
    })
    // ▸ marks the step to go on with: where guided mode stopped, unless that one is done.
    const here = stepToContinue(states, loadProgress().current)?.step.name
    console.log(`\nProgress: ${overall(states)}\n`)
    for (const line of stepLines(states, here)) console.log(`  ${line}`)
    console.log(`\n${continueLine(states, here)}`)
    // A report, not a verdict: 0 even when steps fail (vitest set 1 for the failing checks).
    return 0
  } finally {
    await mongo?.stop()
  }
})
