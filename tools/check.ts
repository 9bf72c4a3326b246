// npm run check N [-- --solution]: runs checks 1..N against steps/NN (or solutions/NN), the
// step's own check first, and remembers the verdict (npm run progress, npm start use it).
import { parseArgs } from 'node:util'
import { OwnCheckFirst } from './lib/check-printer.js'
import { sectionLines } from './lib/check-reporter.js'
import { runMain, UserError } from './lib/errors.js'
import { fingerprint } from './lib/fingerprint.js'
import { resolveMongo } from './lib/mongo.js'
import { checkFilesFor, runChecks } from './lib/run-checks.js'
import { ensureStarters } from './lib/starters.js'
import { recordVerdict, verdictOf } from './lib/status.js'
import { display, folderOf, listSteps, parseStep } from './lib/steps.js'

runMain(async () => {
  const { values, positionals } = parseCommandLine()
  const steps = listSteps()
  const step = parseStep(positionals[0], steps, 'check')
  const dir = folderOf(step, values.solution)
  // Keeps a copy of every untouched starter, for `npm run reset` (see starters.ts).
  ensureStarters(steps)

  // Found here, before vitest starts, so "no MongoDB" is one sentence. An embedded server outlives
  // this command (npm run db:down stops it).
  const mongo = await resolveMongo()
  console.log(`Checking ${display(dir)} (${step.title}) with checks 1 to ${step.number}`)
  console.log(`MongoDB: ${mongo.description}`)
  const print = fingerprint(step, steps, dir)
  const checks = checkFilesFor(step, steps).map((file) => file.replace(/^.*[\\/]/, '').replace(/\.test\.ts$/, ''))
  const printer = new OwnCheckFirst(checks, step.name, (section) =>
    console.log(`\n${sectionLines(section).join('\n')}`),
  )
  const [summary] = await runChecks([{ step, dir }], steps, {
    mongoUrl: mongo.url,
    onSection: (_target, section) => printer.add(section),
  }).finally(() => mongo.stop())

  const { passed, failed } = summary ?? { passed: 0, failed: 0 }
  if (!values.solution && summary) recordVerdict(step, verdictOf(summary, print))
  if (failed === 0 && passed > 0) {
    const next = steps.find((candidate) => candidate.number === step.number + 1)
    const then = next ? ` Next: npm run step ${next.number}` : ' That was the last step.'
    console.log(`\n✅ ${passed} checks pass: step ${step.number} is done.${then}`)
    return 0
  }
  if (passed + failed === 0) {
    throw new UserError(
      `No check ran: test/${step.name}.test.ts and the checks before it should exist; restore them with \`git checkout -- test\`.`,
    )
  }
  console.log(
    `\n❌ ${failed} of ${passed + failed} checks fail. Fix the first 🚨 above, save, and run npm run check ${step.number} again.`,
  )
  return 1
})

function parseCommandLine() {
  try {
    return parseArgs({ options: { solution: { type: 'boolean', default: false } }, allowPositionals: true })
  } catch (error) {
    throw new UserError(
      `${(error as Error).message}: the only option is --solution, as in \`npm run check 3 -- --solution\`.`,
    )
  }
}
