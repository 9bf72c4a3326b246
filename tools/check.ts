// npm run check N [-- --solution]: runs checks 1..N against steps/NN (or solutions/NN), the
// step's own check first, and remembers the verdict (npm run progress, npm start use it).
import { parseArgs } from 'node:util'
import { runMain, UserError } from './lib/errors.js'
import { fingerprint } from './lib/fingerprint.js'
import { resolveMongo } from './lib/mongo.js'
import { runChecks } from './lib/run-checks.js'
import { ensureStarters } from './lib/starters.js'
import { recordVerdict, verdictOf } from './lib/status.js'
import { display, folderOf, listSteps, parseStep } from './lib/steps.js'
import { orderInWords, VerdictTeller } from './lib/verdict.js'

runMain(async () => {
  const { values, positionals } = parseCommandLine()
  const steps = listSteps()
  const step = parseStep(positionals[0], steps, 'check')
  const dir = folderOf(step, values.solution)
  // Keeps a copy of every untouched starter, for `npm run reset` (see starters.ts).
  ensureStarters(steps)

  // Found here, before vitest starts, so "no MongoDB" is one sentence; a step that keeps no
  // sessions in MongoDB is checked without one. An embedded server outlives this command (npm
  // run db:down stops it).
  const mongo = step.usesMongo ? await resolveMongo() : undefined
  console.log(`Checking ${display(dir)} (${step.title}): ${orderInWords(step)}`)
  const firstWithMongo = steps.find((candidate) => candidate.usesMongo)
  console.log(
    `MongoDB: ${mongo ? mongo.description : `not needed${firstWithMongo ? ` before step ${firstWithMongo.number}` : ''}`}`,
  )
  const print = fingerprint(step, steps, dir)
  const teller = new VerdictTeller(step, steps, (line) => console.log(line))
  const [summary] = await runChecks([{ step, dir }], steps, {
    mongoUrl: mongo?.url,
    onSection: (_target, section) => teller.add(section),
  }).finally(() => mongo?.stop())

  const { passed, failed } = summary ?? { passed: 0, failed: 0 }
  const slow = summary?.failures[0]?.kind === 'environment'
  // A run that could not judge the code is no verdict on it: nothing is recorded.
  if (!values.solution && summary && !slow) recordVerdict(step, verdictOf(summary, print))
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
    slow
      ? `\n❌ ${failed} of ${passed + failed} checks could not judge your code: the first 🚨 above says what was too slow and what would help; then run npm run check ${step.number} again.`
      : `\n❌ ${failed} of ${passed + failed} checks fail. Fix the first 🚨 above, save, and run npm run check ${step.number} again.`,
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
