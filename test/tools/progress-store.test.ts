import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { loadProgress, progressFile, updateProgress } from '../../tools/lib/progress-store.js'

let root: string
afterEach(() => {
  rmSync(root, { recursive: true, force: true })
  vi.restoreAllMocks()
})

describe('the progress file', () => {
  it('starts empty, and keeps what was saved', () => {
    root = mkdtempSync(join(tmpdir(), 'workshop-progress-'))
    expect(loadProgress(root)).toEqual({ version: 1, steps: {} })
    updateProgress((progress) => {
      progress.current = '02-session'
      progress.steps['01-bare-express'] = { hints: { '1': 2 } }
    }, root)
    expect(loadProgress(root)).toEqual({
      version: 1,
      current: '02-session',
      steps: { '01-bare-express': { hints: { '1': 2 } } },
    })
  })

  it('sets an unreadable file aside and starts afresh, saying so in one line', () => {
    root = mkdtempSync(join(tmpdir(), 'workshop-progress-'))
    mkdirSync(join(root, '.workshop'))
    writeFileSync(progressFile(root), '{ "version": 1, "steps": ')
    const said = vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(loadProgress(root)).toEqual({ version: 1, steps: {} })
    expect(said).toHaveBeenCalledTimes(1)
    expect(existsSync(`${progressFile(root)}.unreadable`)).toBe(true)
  })
})
