import { describe, expect, it } from 'vitest'
import { rootDir } from '../../tools/lib/steps.js'
import { errorLine } from '../support/error-line.js'

describe('errorLine', () => {
  it('names file, position and complaint for code that does not compile (tsx, vitest)', () => {
    const tsx = `\nnode:internal/modules/run_main:123\n    triggerUncaughtException(\n    ^\nError [TransformError]: Transform failed with 1 error:\n${rootDir}/steps/02-session/app.ts:27:0: ERROR: Expected identifier but found end of file\n    at failureErrorWithLog (x.js:1:1)`
    expect(errorLine(tsx)).toBe('steps/02-session/app.ts:27:0: Expected identifier but found end of file')
    const vitest =
      'Transform failed with 1 error:\n\n[PARSE_ERROR] Expected `}` but found `EOF`\n    ╭─[ steps/02-session/app.ts:26:25 ]\n    │\n'
    expect(errorLine(vitest)).toBe('steps/02-session/app.ts:26:25: Expected `}` but found `EOF`')
    const colored =
      'Transform failed with 1 error:\n\n\u001b[31m[PARSE_ERROR] \u001b[0mExpected `}` but found `EOF`\n    \u001b[38;5;246m╭\u001b[0m\u001b[38;5;246m─\u001b[0m\u001b[38;5;246m[\u001b[0m steps/02-session/app.ts:27:27 \u001b[38;5;246m]\u001b[0m\n'
    expect(errorLine(colored)).toBe('steps/02-session/app.ts:27:27: Expected `}` but found `EOF`')
  })

  it('keeps the thrown error and drops the stack', () => {
    expect(
      errorLine(
        `node:internal/x:1\n  throw e\nError: Cannot find module '${rootDir}/steps/03-mongo-store/db.js'\n    at resolve (y.js:1:1)`,
      ),
    ).toBe("Error: Cannot find module 'steps/03-mongo-store/db.js'")
  })

  it('falls back to the first line a person wrote', () => {
    expect(errorLine('App listening on port 4000\n')).toBe('App listening on port 4000')
    expect(errorLine('')).toBe('(nothing)')
  })
})
