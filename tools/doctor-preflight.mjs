// Runs before tools/doctor.ts, in plain JavaScript on purpose: the TypeScript tools need tsx from
// node_modules, so without an install this file is the only part of the doctor that can speak.
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
if (!existsSync(join(root, 'node_modules', 'tsx', 'package.json'))) {
  console.log(`Node.js ${process.version}`)
  console.error(
    `🚨 The workshop's dependencies are not installed (node_modules/tsx is missing): run npm install in ${root}, then npm run doctor again.`,
  )
  process.exit(1)
}
