// Shows a step's hints one at a time (the count is kept in the progress file), or all at once.
import { stepHints } from './hints.js'
import { stepProgress, updateProgress } from './progress-store.js'
import { display, rootDir, type Step } from './steps.js'

/** The lines to print for the next hint of a step (or all of them), counting it as shown. */
export function nextHint(step: Step, all: boolean, root = rootDir): string[] {
  const hints = stepHints(step, root)
  const lesson = `${display(step.stepDir, root)}/README.md`
  if (hints.length === 0) {
    return [
      `Step ${step.number} has no hints. Its lesson is ${lesson}; npm run diff ${step.number} shows the solution next to your code.`,
    ]
  }
  let shown = 0
  updateProgress((progress) => {
    const record = stepProgress(progress, step.name)
    shown = all ? hints.length : Math.min((record.hintsShown ?? 0) + 1, hints.length + 1)
    record.hintsShown = Math.min(Math.max(shown, record.hintsShown ?? 0), hints.length)
  }, root)
  const heading = `step ${step.number} · ${step.title}`
  if (all || shown > hints.length) {
    const intro = all
      ? `All ${hints.length} hints for ${heading}:`
      : `You have seen all ${hints.length} hints for ${heading}; here they are together:`
    return [
      intro,
      ...hints.flatMap((hint, index) => ['', `${index + 1}. ${hint}`]),
      '',
      `Still stuck? npm run diff ${step.number} shows the solution next to your code.`,
    ]
  }
  const hint = hints[shown - 1] ?? ''
  const after =
    shown < hints.length
      ? `Another hint: npm run hint ${step.number} (again), or all at once: npm run hint ${step.number} -- --all`
      : `That was the last hint. Still stuck? npm run diff ${step.number} shows the solution next to your code.`
  return [`Hint ${shown} of ${hints.length} for ${heading}:`, '', hint, '', after]
}

/** Hints start from the first again (after a reset). */
export function forgetHints(step: Step, root = rootDir): void {
  updateProgress((progress) => {
    delete stepProgress(progress, step.name).hintsShown
  }, root)
}
