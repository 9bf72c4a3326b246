// Where the learner stands on each step: done or failing (a verdict that still holds: same
// fingerprint), or not started (the folder is still the starter, which fails its own check by
// construction: `npm test` proves it). The other steps are checked, all in one run.
import type { CheckSection, CheckSummary } from './check-reporter.js'
import { fingerprint } from './fingerprint.js'
import { loadProgress, passes, stepProgress, updateProgress, type Verdict } from './progress-store.js'
import { runChecks } from './run-checks.js'
import { compareWithStarter, isUntouched } from './starters.js'
import { rootDir, type Step } from './steps.js'
import { checkFilesFor, emptySummary, summarize } from './verdict.js'

export type StepState =
  | { step: Step; kind: 'done'; verdict: Verdict }
  | { step: Step; kind: 'failing'; verdict: Verdict; summary?: CheckSummary }
  | { step: Step; kind: 'not-started' }
  /** Changed since its last verdict, and not checked now. */
  | { step: Step; kind: 'unknown' }

export function isDone(state: StepState): boolean {
  return state.kind === 'done'
}

/** What is known without running anything. */
export function knownStates(steps: Step[], root = rootDir): StepState[] {
  const progress = loadProgress(root)
  return steps.map((step) => {
    const verdict = progress.steps[step.name]?.verdict
    if (verdict && verdict.fingerprint === fingerprint(step, steps, step.stepDir, root)) return stateOf(step, verdict)
    if (isUntouched(compareWithStarter(step, root))) return { step, kind: 'not-started' }
    return { step, kind: 'unknown' }
  })
}

/**
 * Every step's state; the steps whose state is unknown are checked (in one vitest run), those that
 * keep sessions in MongoDB against mongoUrl. onChecked hears of each of them as soon as its last
 * check file has run.
 */
export async function currentStates(
  steps: Step[],
  mongoUrl: string | undefined,
  root = rootDir,
  onChecked?: (step: Step, summary: CheckSummary) => void,
): Promise<StepState[]> {
  const states = knownStates(steps, root)
  const unknown = states
    .filter((state) => state.kind === 'unknown' && (mongoUrl !== undefined || !state.step.usesMongo))
    .map((state) => state.step)
  if (unknown.length === 0) return states
  const prints = unknown.map((step) => fingerprint(step, steps, step.stepDir, root))
  const finished = new Map<string, CheckSection[]>()
  const summaries = await runChecks(
    unknown.map((step) => ({ step, dir: step.stepDir })),
    steps,
    {
      mongoUrl,
      root,
      onSection: ({ step }, section) => {
        const sections = [...(finished.get(step.name) ?? []), section]
        finished.set(step.name, sections)
        if (sections.length === checkFilesFor(step, steps).length) onChecked?.(step, summarize(sections, step.name))
      },
    },
  )
  const verdicts = unknown.map((step, index) => {
    const summary = summaries[index] ?? emptySummary()
    return { step, summary, verdict: verdictOf(summary, prints[index] ?? '') }
  })
  updateProgress((progress) => {
    for (const { step, verdict } of verdicts) stepProgress(progress, step.name).verdict = verdict
  }, root)
  return states.map((state) => {
    const checked = verdicts.find((candidate) => candidate.step === state.step)
    return checked
      ? { ...stateOf(state.step, checked.verdict), ...(checked.verdict.failed > 0 ? { summary: checked.summary } : {}) }
      : state
  })
}

export function verdictOf(summary: CheckSummary, print: string): Verdict {
  return {
    passed: summary.passed,
    failed: summary.failed,
    fingerprint: print,
    at: new Date().toISOString(),
    failing: summary.failures.map((failure) => `${failure.check} › ${failure.test}`),
    typeErrorFiles: summary.failures.flatMap((failure) => {
      const file =
        failure.kind === 'types' ? /^🚨 (?:\S+\/)?([^/\s]+?):\d+:\d+ does not type-check/.exec(failure.sentence) : null
      return file?.[1] ? [file[1]] : []
    }),
  }
}

function stateOf(step: Step, verdict: Verdict): StepState {
  return passes(verdict) ? { step, kind: 'done', verdict } : { step, kind: 'failing', verdict }
}

/** Records the verdict of a run that just happened (guided mode). */
export function recordVerdict(step: Step, verdict: Verdict, root = rootDir): void {
  updateProgress((progress) => {
    stepProgress(progress, step.name).verdict = verdict
  }, root)
}
