// How progress looks on screen: a bar, one line per step with ✓ or ✗, and what to run next.
import type { StepState } from './status.js'

export function progressBar(done: number, total: number, width = 20): string {
  const filled = total === 0 ? 0 : Math.round((done / total) * width)
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`
}

export function overall(states: StepState[]): string {
  const done = states.filter((state) => state.kind === 'done').length
  return `${progressBar(done, states.length)} ${done} of ${states.length} steps done`
}

function detail(state: StepState): string {
  switch (state.kind) {
    case 'done':
      return `done (${state.verdict.passed} checks pass)`
    case 'failing':
      return state.verdict.passed + state.verdict.failed === 0
        ? 'the checks could not run'
        : `${state.verdict.failed} of ${state.verdict.passed + state.verdict.failed} checks fail`
    case 'not-started':
      return 'not started'
    case 'unknown':
      return 'changed since the last check'
  }
}

/** One line per step; `here` marks the step guided mode is on. */
export function stepLines(states: StepState[], here?: string): string[] {
  const width = Math.max(...states.map((state) => state.step.title.length))
  return states.map((state) => {
    const mark = state.kind === 'done' ? '✓' : state.kind === 'unknown' ? '?' : '✗'
    const pointer = state.step.name === here ? '▸' : ' '
    return `${pointer} ${mark} ${state.step.id} · ${state.step.title.padEnd(width)}  ${detail(state)}`
  })
}

/**
 * Where to go on: the step guided mode was on (`here`) when it is not done, else the first step
 * that is not done; undefined when every step is.
 */
export function stepToContinue(states: StepState[], here?: string): StepState | undefined {
  const current = states.find((state) => state.step.name === here && state.kind !== 'done')
  return current ?? states.find((state) => state.kind !== 'done')
}

export function continueLine(states: StepState[], here?: string): string {
  const next = stepToContinue(states, here)
  if (!next) return 'Every step passes its checks. 🎉 npm run diff N compares your code with the solutions.'
  const n = next.step.number
  return `Continue with step ${n}: npm start (guided: checks on every save), or npm run step ${n} and npm run check ${n}.`
}
