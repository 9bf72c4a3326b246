// The workspace's own session secret, for an app that others can reach: made at random once, kept
// in .workshop/session-secret (git-ignored), so every instance signs alike and a restart keeps the
// sessions. The steps' default, the article's 'SECRET KEY', is public: anyone who can reach such
// an app could sign a cookie for any session id they see.
import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { rootDir } from './steps.js'

export function secretFile(root = rootDir): string {
  return join(root, '.workshop', 'session-secret')
}

/** The workspace's secret, made on first use (43 characters of base64url: 256 random bits). */
export function workspaceSecret(root = rootDir): string {
  const file = secretFile(root)
  const existing = read(file)
  if (existing) return existing
  mkdirSync(join(root, '.workshop'), { recursive: true })
  const fresh = randomBytes(32).toString('base64url')
  try {
    // 'wx': of two commands that start at once, both keep the first one's secret.
    writeFileSync(file, `${fresh}\n`, { flag: 'wx', mode: 0o600 })
    return fresh
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
  const other = read(file)
  if (other) return other
  // An empty file (an editor, a full disk): a new secret replaces it.
  writeFileSync(file, `${fresh}\n`, { mode: 0o600 })
  return fresh
}

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim() || undefined
  } catch {
    return undefined
  }
}
