// Talking with the learner: single keys, a yes/no question, colors only where they belong.
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { palette, useColor } from '../../tools/lib/color.js'
import { colorPatch, diffFolders } from '../../tools/lib/folder-diff.js'
import { listenForKeys } from '../../tools/lib/keys.js'
import { confirm } from '../../tools/lib/prompt.js'

describe('listenForKeys', () => {
  it('turns piped characters into keys, Ctrl+C into q, and reports the end of input', async () => {
    const input = new PassThrough()
    const keys: string[] = []
    let ended = false
    const listener = listenForKeys(
      input,
      (key) => keys.push(key),
      () => (ended = true),
    )
    input.write('h\nL')
    input.write('\u0003')
    input.end()
    await new Promise((resolve) => setImmediate(resolve))
    expect(keys).toEqual(['h', 'l', 'q'])
    expect(ended).toBe(true)
    listener.close()
  })
})

describe('confirm', () => {
  const ask = async (input: string | undefined) => {
    const stdin = new PassThrough()
    const stdout = new PassThrough()
    const answer = confirm('Reset?', stdin, stdout)
    if (input === undefined) stdin.end()
    else stdin.end(input)
    return answer
  }
  it.each([
    ['y\n', 'yes'],
    ['YES\n', 'yes'],
    ['n\n', 'no'],
    ['\n', 'no'],
    ['whatever\n', 'no'],
    [undefined, 'no-answer'],
  ])('%j means %s', async (input, expected) => {
    expect(await ask(input)).toBe(expected)
  })
})

describe('colors', () => {
  const terminal = { isTTY: true, hasColors: () => true } as unknown as NodeJS.WriteStream
  const pipe = { isTTY: false } as unknown as NodeJS.WriteStream
  it('are on for a terminal, off for a pipe, off with NO_COLOR, on with FORCE_COLOR', () => {
    expect(useColor(terminal, {})).toBe(true)
    expect(useColor(pipe, {})).toBe(false)
    expect(useColor(terminal, { NO_COLOR: '1' })).toBe(false)
    expect(useColor(pipe, { FORCE_COLOR: '1' })).toBe(true)
    expect(useColor(pipe, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(false)
  })
})

describe('diffFolders', () => {
  const files = (entries: Record<string, string>) =>
    new Map(Object.entries(entries).map(([path, text]) => [path, Buffer.from(text)]))
  it('shows only the files that differ, including those on one side only', () => {
    const diffs = diffFolders(
      files({ 'a.ts': 'same\n', 'b.ts': 'mine\n', 'mine.ts': 'x\n' }),
      files({ 'a.ts': 'same\n', 'b.ts': 'theirs\n', 'c.ts': 'new\n' }),
      'steps/01',
      'solutions/01',
    )
    expect(diffs.map((diff) => diff.path)).toEqual(['b.ts', 'c.ts', 'mine.ts'])
    expect(diffs[0]?.patch).toBe('--- steps/01/b.ts\n+++ solutions/01/b.ts\n@@ -1,1 +1,1 @@\n-mine\n+theirs\n')
    expect(diffs[1]?.patch).toContain('--- /dev/null\n+++ solutions/01/c.ts')
  })

  it('colors removals red and additions green, and nothing without colors', () => {
    const patch = '--- a\n+++ b\n@@ -1 +1 @@\n-old\n+new\n same'
    expect(colorPatch(patch, palette(false))).toBe(patch)
    const colored = colorPatch(patch, palette(true))
    expect(colored).toContain('\u001b[31m-old\u001b[39m')
    expect(colored).toContain('\u001b[32m+new\u001b[39m')
    expect(colored).toContain('\n same')
  })
})
