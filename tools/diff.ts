// npm run diff N: your steps/NN-slug next to solutions/NN-slug, as a unified diff
// (- your code, + the solution), in color on a terminal.

import { palette, useColor } from './lib/color.js'
import { runMain, UserError } from './lib/errors.js'
import { colorPatch, diffFolders } from './lib/folder-diff.js'
import { ensureStarters, readFolder } from './lib/starters.js'
import { display, listSteps, parseStep } from './lib/steps.js'

// Piped into a pager that quits early (npm run diff 3 | head): stop quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0)
  throw error
})

runMain(async () => {
  const [arg, ...extra] = process.argv.slice(2)
  const steps = listSteps()
  const step = parseStep(arg, steps, 'diff')
  if (extra.length > 0)
    throw new UserError(
      `npm run diff takes one step number (got "${extra.join(' ')}" after it): run for example \`npm run diff ${step.number}\`.`,
    )
  ensureStarters(steps)
  const mine = display(step.stepDir)
  const theirs = display(step.solutionDir)
  const diffs = diffFolders(readFolder(step.stepDir), readFolder(step.solutionDir), mine, theirs)
  if (diffs.length === 0) {
    console.log(`No difference: ${mine} is the same as ${theirs}.`)
    return 0
  }
  const colors = palette(useColor())
  console.log(`${mine} (yours, -) next to ${theirs} (the solution, +):\n`)
  for (const { patch } of diffs) process.stdout.write(`${colorPatch(patch, colors)}\n`)
  const names = diffs.map((diff) => diff.path).join(', ')
  console.log(
    `${diffs.length} ${diffs.length === 1 ? 'file differs' : 'files differ'}: ${names}. npm run check ${step.number} says what still fails.`,
  )
  return 0
})
