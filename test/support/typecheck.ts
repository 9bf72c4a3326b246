// Type-checks a step's folder as its own program (each step declares its own SessionData), and
// turns each compiler error into a 🚨 sentence with its file:line and, for the errors beginners
// meet most, what to do about it.
import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { display, rootDir } from '../../tools/lib/steps.js'

// typescript's exports hide bin/, but its package.json names the compiler.
const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc')

export interface TypeError {
  /** "steps/04-routes/app.ts" */
  file: string
  line: number
  column: number
  /** 2339 for TS2339 */
  code: number
  message: string
}

/** The compiler's errors for the folder (its tsconfig.json), none when it type-checks. */
export function typeErrors(dir: string): Promise<TypeError[]> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [tsc, '--noEmit', '--pretty', 'false', '-p', dir],
      { cwd: rootDir, maxBuffer: 8 * 1024 * 1024 },
      (error, stdout) => resolve(error ? parseErrors(stdout, error.message) : []),
    )
  })
}

/** "app.ts(37,17): error TS2339: Property 'user' does not exist on type …" lines, parsed. */
export function parseErrors(output: string, fallback = 'the compiler failed'): TypeError[] {
  const errors: TypeError[] = []
  const explained = new Set<TypeError>()
  for (const line of output.split('\n')) {
    // The compiler explains some errors on indented lines after the first ("No overload matches
    // this call." then why): the first of them that says what does not fit is kept.
    const last = errors.at(-1)
    if (last && !explained.has(last) && /^\s+\S/.test(line) && /assignable|missing|does not exist/.test(line)) {
      last.message = `${last.message.replace(/\.$/, '')}: ${line.trim()}`
      explained.add(last)
      continue
    }
    const match = /^(.+?)\((\d+),(\d+)\): error TS(\d+): (.+)$/.exec(line.trim())
    if (!match) continue
    const [, file = '', row = '0', column = '0', code = '0', message = ''] = match
    errors.push({
      file: display(join(rootDir, file)),
      line: Number(row),
      column: Number(column),
      code: Number(code),
      message: message.trim(),
    })
  }
  if (errors.length === 0) errors.push({ file: '', line: 0, column: 0, code: 0, message: output.trim() || fallback })
  return errors
}

const implicitAny =
  "give the parameter a type: a request and a response are Request and Response, imported from express (import type { Request, Response } from 'express'), or type the whole function (a RequestHandler, an ErrorRequestHandler for an error handler, both from express)."

/** A parameter typed Response or Request without importing them gets the browser's fetch() types. */
const browserType = (message: string) => /type '(Response|Request)'/.test(message)
const browserAdvice =
  "add import type { Request, Response } from 'express' at the top of the file: without it, Response (and Request) is the browser's fetch() type, which TypeScript knows without an import (PRIMER.md, Handler types)."

/** What to do about the errors a beginner meets most, by code. */
const advice: Record<number, (message: string) => string> = {
  // Cannot find name 'x'.
  2304: (message) =>
    `is an import missing? A name from a package or another file must be imported at the top of the file${/'(session|express|MongoStore)'/.test(message) ? ` (${message.match(/'(\w+)'/)?.[1]} comes from its package)` : ''}.`,
  // Property 'x' does not exist on type 'y'.
  2339: (message) =>
    browserType(message)
      ? browserAdvice
      : /Session/.test(message)
        ? "tell TypeScript what a session holds, by declaration merging: add the field to express-session's SessionData interface, in a declare module block (PRIMER.md, Declaration merging)."
        : 'check the spelling, or declare the property in the type it belongs to.',
  // Cannot find module './x' or its type declarations.
  2307: () => "a relative import names the file with .js at the end, even for a .ts file: './config.js'.",
  2835: () => "a relative import names the file with .js at the end, even for a .ts file: './config.js'.",
  // Parameter 'x' implicitly has an 'any' type.
  7006: () => implicitAny,
  7031: () => implicitAny,
  // Type 'x' is missing the following properties from type 'y': … / Argument of type 'x' is not
  // assignable to parameter of type 'y'.
  2739: (message) => (browserType(message) ? browserAdvice : 'make the value match the type it is given to.'),
  2740: (message) => (browserType(message) ? browserAdvice : 'make the value match the type it is given to.'),
  2345: (message) => (browserType(message) ? browserAdvice : 'pass a value of the type the function asks for.'),
  // 'error' is of type 'unknown'.
  18046: () =>
    'TypeScript cannot know what was thrown: check it first, with if (error instanceof Error), then read error.message (PRIMER.md, Strict mode).',
  // 'x' is declared but its value is never read.
  6133: () => 'use it, or remove it (a value you never read is often one you forgot to pass on).',
  6192: () => 'use the imports, or remove them.',
  // Not all code paths return a value.
  7030: () =>
    'every path of the function must return, or none: after answering (res.json(…)), write `return` alone, not `return res.json(…)` in one branch only.',
  // 'x' is possibly 'undefined'.
  18048: () => 'check that it is there first (if (x === undefined) …), or give a default (x ?? fallback).',
  // Expected n arguments, but got m.
  2554: () => 'look at how the function is declared: how many arguments it takes, and in what order.',
}

/** One 🚨 sentence for a compiler error. */
export function typeSentence(error: TypeError): string {
  const where = error.file ? `${error.file}:${error.line}:${error.column}` : 'the folder'
  const said = `🚨 ${where} does not type-check: ${error.message.replace(/\.?$/, '.')}`
  const help = advice[error.code]?.(error.message)
  return help ? `${said} To fix it, ${help}` : `${said} Fix it, then check again.`
}
