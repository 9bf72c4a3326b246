// Runs a workshop command for the npm scripts: `node tools/run.mjs check 3` runs tools/check.ts,
// a learner's command; the maintainers' commands live in tools/maintain/.
// The libraries a command needs most are loaded before TypeScript is (lib/launch.mjs says why),
// which makes a check start in about half the time. Plain JavaScript on purpose: without
// `npm install` it is the only part of the workshop that can still speak.
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const [name = '', ...args] = process.argv.slice(2)
const target = [join(root, 'tools', `${name}.ts`), join(root, 'tools', 'maintain', `${name}.ts`)].find(existsSync)
if (!/^[\w-]+$/.test(name) || !target) {
  console.error(`🚨 There is no workshop command "${name}": the commands are the npm scripts in package.json.`)
  process.exit(1)
}
if (!existsSync(join(root, 'node_modules', 'tsx', 'package.json'))) {
  console.log(`Node.js ${process.version}`)
  console.error(
    `🚨 The workshop's dependencies are not installed (node_modules/tsx is missing): run npm install in ${root}, then npm run ${name} again.`,
  )
  process.exit(1)
}
const runsChecks = ['check', 'start', 'progress']
const preload = runsChecks.includes(name) ? ['vitest/node'] : ['mongodb']
const { launch } = await import('./lib/launch.mjs')
await launch(target, preload, args)
