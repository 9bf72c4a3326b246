// npm run setup: prepares this machine for a class, ahead of time and online. It finds a MongoDB,
// or downloads mongod (once for the machine) and starts this workspace's embedded MongoDB, then
// lists what is ready and what is missing. Exit code 1 when something blocks the workshop.
import {
  checkDatabase,
  checkDependencies,
  checkNode,
  type Finding,
  prepareMongo,
  printFinding,
} from './lib/doctor-checks.js'
import { noOptions, runMain } from './lib/errors.js'
import { defaultDeps } from './lib/mongo.js'
import { ensureStarters } from './lib/starters.js'
import { listSteps } from './lib/steps.js'

runMain(async () => {
  noOptions('npm run setup', 'MONGO_URL, WORKSHOP_MONGO=embedded and MONGOMS_SYSTEM_BINARY choose what it prepares')
  // Like every workshop command: keep the starters before any edit (npm run reset).
  ensureStarters(listSteps())
  console.log('Preparing this machine for the workshop…\n')
  const findings: Finding[] = []
  const show = (finding: Finding) => {
    findings.push(finding)
    printFinding(finding)
  }
  show(checkNode())
  const dependencies = checkDependencies()
  show(dependencies)
  // Without its packages nothing below can run; npm install comes first.
  if (dependencies.status !== 'fail') {
    // What the resolver says on the way (a start, mongod's download) sits under the list's line.
    const deps = { ...defaultDeps(), log: (line: string) => console.log(`    ${line}`) }
    for (const finding of await prepareMongo(deps)) show(finding)
    show(checkDatabase())
  }

  const problems = findings.filter((finding) => finding.status === 'fail').length
  const warnings = findings.filter((finding) => finding.status === 'warn').length
  if (problems > 0) {
    console.log(
      `\n${problems} ${problems === 1 ? 'problem blocks' : 'problems block'} the workshop: fix ${problems === 1 ? 'it' : 'them'} as shown (→), then run npm run setup again.`,
    )
    return 1
  }
  console.log(
    `\nReady for the class${warnings > 0 ? ` (${warnings} ${warnings === 1 ? 'warning' : 'warnings'} above)` : ', offline too'}: npm run step 1 begins the workshop.`,
  )
  return 0
})
