// npm run doctor [-- --embedded]: what the workshop needs, whether it is there, and how to fix
// what is not. Exit code 1 when something blocks the workshop. Without npm install, tools/run.mjs
// says so before this file is ever loaded.
import { parseArgs } from 'node:util'
import {
  checkDatabase,
  checkDependencies,
  checkDocker,
  checkMongo,
  checkNode,
  checkPort,
  type Finding,
  printFinding,
} from './lib/doctor-checks.js'
import { runMain, UserError } from './lib/errors.js'
import { ensureStarters } from './lib/starters.js'
import { listSteps } from './lib/steps.js'

runMain(async () => {
  const { values } = parseCommandLine()
  // Like every workshop command: keep the starters before any edit (npm run reset).
  ensureStarters(listSteps())
  console.log('Checking what the workshop needs…\n')
  const findings: Finding[] = []
  const show = (finding: Finding) => {
    findings.push(finding)
    printFinding(finding)
  }
  show(checkNode())
  show(checkDependencies())
  show(await checkMongo(values.embedded))
  show(checkDatabase())
  show(await checkDocker())
  show(await checkPort())

  const problems = findings.filter((finding) => finding.status === 'fail').length
  const warnings = findings.filter((finding) => finding.status === 'warn').length
  if (problems > 0) {
    console.log(
      `\n${problems} ${problems === 1 ? 'problem blocks' : 'problems block'} the workshop: fix ${problems === 1 ? 'it' : 'them'} as shown (→), then run npm run doctor again.`,
    )
    return 1
  }
  console.log(
    `\nReady${warnings > 0 ? ` (${warnings} ${warnings === 1 ? 'warning' : 'warnings'} above, nothing blocking)` : ''}: npm start begins the workshop.`,
  )
  return 0
})

function parseCommandLine() {
  try {
    return parseArgs({ options: { embedded: { type: 'boolean', default: false } }, allowPositionals: false })
  } catch (error) {
    throw new UserError(
      `${(error as Error).message}: the only option is --embedded (start this workspace's embedded MongoDB to prove it works), as in \`npm run doctor -- --embedded\`.`,
    )
  }
}
