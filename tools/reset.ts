// npm run reset N [-- --yes]: makes steps/NN-slug the starter again. Lists what will be lost and
// asks first; touches no other folder. The starter comes from .workshop/starters/ (starters.ts).
import { parseArgs } from 'node:util'
import { runMain, UserError } from './lib/errors.js'
import { forgetHints } from './lib/hint-view.js'
import { confirm } from './lib/prompt.js'
import { compareWithStarter, ensureStarters, isUntouched, restoreStarter } from './lib/starters.js'
import { display, listSteps, parseStep } from './lib/steps.js'

runMain(async () => {
  const { values, positionals } = parseCommandLine()
  const steps = listSteps()
  const step = parseStep(positionals[0], steps, 'reset')
  ensureStarters(steps)
  const folder = display(step.stepDir)
  const comparison = compareWithStarter(step)
  if (isUntouched(comparison)) {
    console.log(`Nothing to reset: ${folder} is still the starter.`)
    return 0
  }

  const { changed, added, missing } = comparison
  console.log(`Resetting ${folder} to its starter:`)
  for (const path of changed) console.log(`  changed  ${folder}/${path}   (your changes will be lost)`)
  for (const path of added) console.log(`  added    ${folder}/${path}   (a file you added: it will be deleted)`)
  for (const path of missing) console.log(`  missing  ${folder}/${path}   (it will be put back)`)

  const lost = changed.length + added.length
  if (!values.yes && lost > 0) {
    const answer = await confirm(
      `Lose ${lost === 1 ? 'this file' : `these ${lost} files`} and reset step ${step.number}?`,
    )
    if (answer === 'no') {
      console.log('Nothing was reset.')
      return 0
    }
    if (answer === 'no-answer') {
      throw new UserError(
        `Nothing was reset: no answer came. To reset without the question, run npm run reset ${step.number} -- --yes`,
      )
    }
  }
  restoreStarter(step)
  forgetHints(step)
  console.log(`✓ ${folder} is the starter again. Run npm run step ${step.number}, or npm start.`)
  return 0
})

function parseCommandLine() {
  try {
    return parseArgs({ options: { yes: { type: 'boolean', short: 'y', default: false } }, allowPositionals: true })
  } catch (error) {
    throw new UserError(`${(error as Error).message}: the only option is --yes, as in \`npm run reset 3 -- --yes\`.`)
  }
}
