// The starter copies behind `npm run reset`: taken once, from git when the folder is tracked,
// else from the files on disk; restoring one step touches no other.
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  compareFolders,
  compareWithStarter,
  ensureStarters,
  isUntouched,
  readFolder,
  restoreStarter,
  starterDir,
} from '../../tools/lib/starters.js'
import { listSteps, type Step } from '../../tools/lib/steps.js'

let root: string

function workshop(): string {
  root = mkdtempSync(join(tmpdir(), 'workshop-starters-'))
  for (const name of ['01-one', '02-two']) {
    mkdirSync(join(root, 'steps', name), { recursive: true })
    mkdirSync(join(root, 'solutions', name), { recursive: true })
    writeFileSync(join(root, 'steps', name, 'app.ts'), `// 🐨 ${name}\n`)
    writeFileSync(join(root, 'steps', name, 'server.ts'), 'export {}\n')
  }
  writeFileSync(
    join(root, 'steps.json'),
    JSON.stringify({
      steps: [
        { slug: 'one', title: 'One', summary: 'the first' },
        { slug: 'two', title: 'Two', summary: 'the second' },
      ],
    }),
  )
  return root
}

afterEach(() => rmSync(root, { recursive: true, force: true }))

describe('ensureStarters', () => {
  it('copies each step once, from the files on disk when there is no git', () => {
    const steps = listSteps(workshop())
    expect(ensureStarters(steps, root)).toEqual(['01-one', '02-two'])
    expect(readFileSync(join(starterDir(steps[0], root), 'app.ts'), 'utf8')).toBe('// 🐨 01-one\n')
    writeFileSync(join(root, 'steps', '01-one', 'app.ts'), 'edited\n')
    expect(ensureStarters(steps, root), 'never refreshed').toEqual([])
    expect(compareWithStarter(steps[0], root)).toEqual({ changed: ['app.ts'], added: [], missing: [] })
  })

  it('takes the committed version from git, even when the file was edited before the first command', () => {
    const steps = listSteps(workshop())
    const git = (...args: string[]) => execFileSync('git', ['-C', root, ...args], { stdio: 'pipe' })
    git('init', '-q')
    git('add', '.')
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'starters')
    writeFileSync(join(root, 'steps', '01-one', 'app.ts'), 'edited before any command ran\n')
    ensureStarters(steps, root)
    expect(readFileSync(join(starterDir(steps[0], root), 'app.ts'), 'utf8')).toBe('// 🐨 01-one\n')
  })
})

describe('restoreStarter', () => {
  it('rewrites changed files, puts back missing ones, deletes added ones, and leaves the other step alone', () => {
    const steps = listSteps(workshop())
    ensureStarters(steps, root)
    const [one, two] = steps as [Step, Step]
    writeFileSync(join(one.stepDir, 'app.ts'), 'my work\n')
    writeFileSync(join(one.stepDir, 'notes.md'), 'mine\n')
    unlinkSync(join(one.stepDir, 'server.ts'))
    writeFileSync(join(two.stepDir, 'app.ts'), 'step two work\n')

    expect(restoreStarter(one, root)).toEqual({ changed: ['app.ts'], added: ['notes.md'], missing: ['server.ts'] })
    expect(isUntouched(compareWithStarter(one, root))).toBe(true)
    expect(readFileSync(join(two.stepDir, 'app.ts'), 'utf8')).toBe('step two work\n')
  })
})

describe('compareFolders', () => {
  it('counts a file that differs only in line endings (git on Windows) as unchanged', () => {
    const mine = new Map([['app.ts', Buffer.from('a\r\nb\r\n')]])
    const starter = new Map([['app.ts', Buffer.from('a\nb\n')]])
    expect(isUntouched(compareFolders(mine, starter))).toBe(true)
  })

  it('reads folders recursively, with forward slashes', () => {
    workshop()
    mkdirSync(join(root, 'steps', '01-one', 'lib'))
    writeFileSync(join(root, 'steps', '01-one', 'lib', 'x.ts'), '')
    expect([...readFolder(join(root, 'steps', '01-one')).keys()].sort()).toEqual(['app.ts', 'lib/x.ts', 'server.ts'])
  })
})
