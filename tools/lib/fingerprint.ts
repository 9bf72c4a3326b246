// A fingerprint of everything a step's verdict depends on: the learner's folder, the check files
// 1..N, and what they share (test/support/). Same fingerprint, same verdict, so `npm run progress`
// does not run checks again for a step nobody touched.
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { readFolder } from './starters.js'
import { display, rootDir, type Step } from './steps.js'
import { checkFilesFor } from './verdict.js'

export function fingerprint(step: Step, steps: Step[], dir = step.stepDir, root = rootDir): string {
  const hash = createHash('sha256')
  const add = (label: string, content: Buffer) => hash.update(`${label}\0${content.length}\0`).update(content)
  for (const [path, content] of [...readFolder(dir)].sort(([a], [b]) => a.localeCompare(b)))
    add(`step/${path}`, content)
  for (const file of checkFilesFor(step, steps)) {
    add(display(file, root), existsSync(file) ? readFileSync(file) : Buffer.alloc(0))
  }
  for (const [path, content] of [...readFolder(join(root, 'test', 'support'))].sort(([a], [b]) => a.localeCompare(b))) {
    add(`support/${path}`, content)
  }
  return hash.digest('hex').slice(0, 16)
}
