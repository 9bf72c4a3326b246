// The workspace's session secret that `npm run step` gives an app others can reach.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { secretFile, workspaceSecret } from '../../tools/lib/session-secret.js'

let root: string
afterEach(() => rmSync(root, { recursive: true, force: true }))

describe('workspaceSecret', () => {
  it('is random, long enough for production, kept in .workshop/ and the same on the next run', () => {
    root = mkdtempSync(join(tmpdir(), 'workshop-secret-'))
    const secret = workspaceSecret(root)
    expect(secret).toMatch(/^[\w-]{43}$/)
    expect(secret).not.toBe(workspaceSecret(mkdtempSync(join(root, 'other-'))))
    expect(readFileSync(join(root, '.workshop', 'session-secret'), 'utf8')).toBe(`${secret}\n`)
    expect(workspaceSecret(root)).toBe(secret)
    // Readable by its owner only (POSIX permissions; Windows has none of these bits).
    if (process.platform !== 'win32') expect(statSync(secretFile(root)).mode & 0o077).toBe(0)
  })

  it('replaces an empty file with a new secret', () => {
    root = mkdtempSync(join(tmpdir(), 'workshop-secret-'))
    workspaceSecret(root)
    writeFileSync(secretFile(root), '\n')
    expect(workspaceSecret(root)).toMatch(/^[\w-]{43}$/)
  })
})
