// npm run check N [-- --solution]: runs checks 1..N against steps/NN (or solutions/NN).
import { parseArgs } from 'node:util'
import { startVitest } from 'vitest/node'
import { CheckReporter } from './lib/check-reporter.js'
import { runMain, UserError } from './lib/errors.js'
import { resolveMongo } from './lib/mongo.js'
import { display, folderOf, listSteps, parseStep, rootDir } from './lib/steps.js'

runMain(async () => {
  const { values, positionals } = parseCommandLine()
  const steps = listSteps()
  const step = parseStep(positionals[0], steps, 'check')
  const dir = folderOf(step, values.solution)
  const files = steps.filter((candidate) => candidate.number <= step.number).map((candidate) => display(candidate.checkFile))

  // Found here, before vitest starts, so "no MongoDB" is one sentence; the checks' global setup
  // then finds the same server through MONGO_URL. An embedded server lives until this command ends.
  const mongo = await resolveMongo()
  process.env.MONGO_URL = mongo.url
  console.log(`Checking ${display(dir)} (${step.title}) with checks 1 to ${step.number}`)
  console.log(`MongoDB: ${mongo.description}`)
  // The check files read the folder under test from here (test/support/workshop.ts).
  process.env.WORKSHOP_DIR = display(dir)
  const reporter = new CheckReporter()
  const vitest = await startVitest('test', files, {
    root: rootDir,
    config: false,
    watch: false,
    include: files,
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: [reporter],
  })
  await vitest.close()
  await mongo.stop()

  const { passed, failed } = reporter.summary
  if (failed === 0 && passed > 0) {
    const next = steps.find((candidate) => candidate.number === step.number + 1)
    console.log(`\n✅ ${passed} checks pass: step ${step.number} is done.${next ? ` Next: npm run step ${next.number}` : ' That was the last step.'}`)
    return 0
  }
  if (passed + failed === 0) throw new UserError(`No check ran: test/${step.name}.test.ts and the checks before it should exist; restore them with \`git checkout -- test\`.`)
  console.log(`\n❌ ${failed} of ${passed + failed} checks fail. Fix the first 🚨 above, save, and run npm run check ${step.number} again.`)
  return 1
})

function parseCommandLine() {
  try {
    return parseArgs({ options: { solution: { type: 'boolean', default: false } }, allowPositionals: true })
  } catch (error) {
    throw new UserError(`${(error as Error).message}: the only option is --solution, as in \`npm run check 3 -- --solution\`.`)
  }
}
