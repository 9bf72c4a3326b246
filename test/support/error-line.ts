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

/**
 * What a learner needs of an error thrown by their code: its first line and, when the stack
 * shows one, the file:line in their folder (or outside node_modules) where it came from.
 */
export function crashLine(error: unknown, dir?: string): string {
  if (!(error instanceof Error)) return String(error)
  const first = errorLine(error.message)
  // A compiler's complaint already says where: "steps/02-session/app.ts:26:0: Expected …".
  if (/:\d+:\d+/.test(first)) return first
  const named = first.startsWith(error.name) || /^\w*Error\b/.test(first) ? first : `${error.name}: ${first}`
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line))
  const located = frames
    .map((line) => /\(?((?:file:\/\/)?[^\s()]+?):(\d+):(\d+)\)?$/.exec(line.trim()))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ file: (match[1] ?? '').replace(/^file:\/\//, ''), line: match[2], column: match[3] }))
    .filter(({ file }) => !file.startsWith('node:') && !file.includes('node_modules'))
  const mine = located.find(({ file }) => dir !== undefined && file.startsWith(dir)) ?? located[0]
  return mine ? `${named} (${short(mine.file)}:${mine.line}:${mine.column})` : named
}
