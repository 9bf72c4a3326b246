// A step file that does not compile makes tsx throw esbuild's TransformError, whose stack trace
// says nothing a learner can use. What they need instead: where, what the compiler expected, and
// the line itself with a caret under the spot.
import { readFileSync } from 'node:fs'
import { relative } from 'node:path'
import { stripVTControlCharacters } from 'node:util'

/** True when a crashed server's error output is a compile error (tsx/esbuild). */
export function isCompileError(text: string): boolean {
  return /TransformError|Transform failed with/.test(text)
}

/**
 * "🚨 steps/02-session/app.ts:23:25: Expected ")" but found ":"", then the line and a caret, from
 * esbuild's "/abs/path/app.ts:23:24: ERROR: Expected ")" but found ":"". Undefined when the text
 * holds no such line.
 */
export function compileErrorFrame(text: string, root: string): string | undefined {
  const found = /^(.*?):(\d+):(\d+): ERROR: (.+)$/m.exec(stripVTControlCharacters(text))
  if (!found) return undefined
  const [, file = '', line = '0', column = '0', message = ''] = found
  const shown = relative(root, file).split('\\').join('/')
  // esbuild counts columns from 0, editors from 1.
  const lines = [`🚨 ${shown}:${line}:${Number(column) + 1}: ${message}`]
  try {
    const source = readFileSync(file, 'utf8').split('\n')[Number(line) - 1]
    if (source !== undefined) {
      const number = `${line} | `
      lines.push(`   ${number}${source}`, `   ${' '.repeat(number.length - 2)}| ${' '.repeat(Number(column))}^`)
    }
  } catch {
    // The file is gone since: the sentence alone.
  }
  return lines.join('\n')
}
