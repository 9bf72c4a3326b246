import { describe, expect, it } from 'vitest'
import { continueLine, overall, progressBar, stepLines } from '../../tools/lib/progress-view.js'
import type { StepState } from '../../tools/lib/status.js'
import type { Step } from '../../tools/lib/steps.js'

const step = (number: number, title: string) => ({ number, id: `0${number}`, name: `0${number}-x`, title }) as Step
const verdict = (passed: number, failed: number) => ({ passed, failed, fingerprint: 'f', at: '' })
const states: StepState[] = [
  { step: step(1, 'A bare server'), kind: 'done', verdict: verdict(2, 0) },
  { step: step(2, 'Sessions'), kind: 'failing', verdict: verdict(2, 3) },
  { step: step(3, 'MongoDB'), kind: 'not-started' },
  { step: step(4, 'Routes'), kind: 'unknown' },
]

describe('progress on screen', () => {
  it('draws a bar and one line per step, ✓ or ✗, with the step guided mode is on marked', () => {
    expect(progressBar(1, 4, 8)).toBe('██░░░░░░')
    expect(overall(states)).toBe(`${progressBar(1, 4)} 1 of 4 steps done`)
    expect(stepLines(states, '02-x')).toEqual([
      '  ✓ 01 · A bare server  done (2 checks pass)',
      '▸ ✗ 02 · Sessions       3 of 5 checks fail',
      '  ✗ 03 · MongoDB        not started',
      '  ? 04 · Routes         changed since the last check',
    ])
  })

  it('names the command to continue with, or says all is done', () => {
    expect(continueLine(states)).toBe(
      'Continue with step 2: npm start (guided: checks on every save), or npm run step 2 and npm run check 2.',
    )
    expect(continueLine(states.slice(0, 1))).toContain('Every step passes its checks.')
  })
})
