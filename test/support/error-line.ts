// The one line of an error (or of a crashed server's output) worth showing a learner: for code
// that does not compile, the file, the position and what the compiler expected.
import { stripVTControlCharacters } from 'node:util'
import { rootDir } from '../../tools/lib/steps.js'

function short(path: string): string {
  const normalized = path.split('\\').join('/')
  const root = rootDir.split('\\').join('/')
  return normalized.startsWith(`${root}/`) ? normalized.slice(root.length + 1) : normalized
}

export function errorLine(raw: string): string {
  // The compiler may color its message (a terminal, FORCE_COLOR): the colors go.
  const text = stripVTControlCharacters(raw)
  // esbuild (tsx): "/abs/steps/02-session/app.ts:27:0: ERROR: Expected identifier but found end of file"
  const esbuild = /^(.*?:\d+:\d+): ERROR: (.+)$/m.exec(text)
  if (esbuild) return `${short(esbuild[1] ?? '')}: ${esbuild[2]}`
  // oxc (vitest): "[PARSE_ERROR] Expected `}` but found `EOF`" then "╭─[ steps/02-session/app.ts:26:25 ]"
  const oxc = /\[[A-Z_]+\]\s*(.+)/.exec(text)
  const where = /─\[\s*(.+?)\s*\]/.exec(text)
  if (oxc && where) return `${short(where[1] ?? '')}: ${oxc[1]}`
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
  // "SyntaxError: ...", "Error [ERR_MODULE_NOT_FOUND]: Cannot find module ..."
  const thrown = lines.find((line) => /^\w*Error\b.*?: /.test(line) && !/Transform failed/.test(line))
  if (thrown) return thrown.split(`${rootDir}/`).join('').split(`${rootDir}\\`).join('')
  // Node's own frame lines ("node:internal/...", "triggerUncaughtException(", "^") say nothing.
  const meaningful = lines.filter((line) => !/^(node:internal|triggerUncaughtException|\^|at |Node\.js v)/.test(line))
  return meaningful[0] ?? lines[0] ?? '(nothing)'
}
