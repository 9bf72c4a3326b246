// npm run typecheck: type-checks tools/ and test/, and the article's server step 1 starts from.
// Each step's folder is type-checked by its own check (test/support/workshop.ts), as its own
// program: each folder declares its own SessionData, and declaration merging is program-wide.
import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { runMain } from '../lib/errors.js'
import { baseDir } from '../lib/step-source.js'
import { display, rootDir } from '../lib/steps.js'

// typescript's exports hide bin/, but its package.json names the compiler.
const typescriptJson = createRequire(import.meta.url).resolve('typescript/package.json')
const tsc = join(dirname(typescriptJson), 'bin', 'tsc')
const run = promisify(execFile)

runMain(async () => {
  const projects = [rootDir, baseDir()]
  const results = await Promise.all(
    projects.map(async (project) => {
      try {
        await run(process.execPath, [tsc, '--noEmit', '-p', project], { cwd: rootDir })
        return { project, errors: '' }
      } catch (error) {
        const { stdout, stderr } = error as { stdout?: string; stderr?: string }
        return { project, errors: `${stdout ?? ''}${stderr ?? ''}`.trim() || String(error) }
      }
    }),
  )
  const failed = results.filter((result) => result.errors)
  for (const { project, errors } of failed) console.error(`\n✗ ${display(project) || '.'}\n${errors}`)
  console.log(
    `Type-checked ${results.length} projects: ${results.length - failed.length} clean, ${failed.length} with errors.`,
  )
  return failed.length === 0 ? 0 : 1
})
