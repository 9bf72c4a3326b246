// Shows a step's hints one rung at a time, for the task the learner is stuck on (the one whose
// check fails first), or all of them. How many rungs each task has shown is kept in the progress
// file, so the next hint is the next rung.

import { fingerprint } from './fingerprint.js'
import { stepHints, type TaskHints, taskInFocus } from './hints.js'
import { loadProgress, passes, stepProgress, updateProgress } from './progress-store.js'
import { display, listSteps, rootDir, type Step } from './steps.js'

export interface HintRequest {
  /** Every rung of every task. */
  all?: boolean
  /** This task's next rung, whatever fails first. */
  task?: number
}

/** The lines to print for the next hint of a step (or all of them), counting it as shown. */
export function nextHint(step: Step, request: HintRequest = {}, root = rootDir): string[] {
  const tasks = stepHints(step)
  const lesson = `${display(step.stepDir, root)}/README.md`
  if (tasks.length === 0) {
    return [
      `Step ${step.number} has no hints. Its lesson is ${lesson}; npm run diff ${step.number} shows the solution next to your code.`,
    ]
  }
  if (request.all) return allHints(step, tasks)
  const record = stepProgress(loadProgress(root), step.name)
  const shown = record.hints ?? {}
  const verdict = record.verdict
  if (
    request.task === undefined &&
    verdict &&
    passes(verdict) &&
    verdict.fingerprint === fingerprint(step, listSteps(root), step.stepDir, root)
  ) {
    return [
      `Step ${step.number} passes its checks as your code stands: no hint needed. npm run hint ${step.number} -- --task K shows the hints of task K, -- --all every hint.`,
    ]
  }
  const task =
    request.task === undefined
      ? taskInFocus(tasks, record.verdict?.failing ?? [], step, shown, record.verdict?.typeErrorFiles)
      : tasks.find((candidate) => candidate.task === request.task)
  if (!task) {
    const numbers = tasks.map((candidate) => candidate.task).join(', ')
    return [`Step ${step.number} has no task ${request.task}: its 🐨 tasks are ${numbers}.`]
  }
  const count = Math.min((shown[String(task.task)] ?? 0) + 1, task.rungs.length)
  updateProgress((progress) => {
    const record = stepProgress(progress, step.name)
    const hints = record.hints ?? {}
    hints[String(task.task)] = Math.max(count, hints[String(task.task)] ?? 0)
    record.hints = hints
  }, root)
  const after =
    count < task.rungs.length
      ? `The next rung: npm run hint ${step.number}${request.task === undefined ? '' : ` -- --task ${task.task}`} again.`
      : `That was the last rung of 🐨 ${task.task}. npm run diff ${step.number} shows the solution next to your code.`
  const others =
    tasks.length > 1 ? ` Another task: npm run hint ${step.number} -- --task K. All of them: -- --all.` : ''
  return [
    `Hint ${count} of ${task.rungs.length} for step ${step.number}, 🐨 ${task.task} · ${task.title}:`,
    '',
    task.rungs[count - 1] ?? '',
    '',
    `${after}${others}`,
  ]
}

function allHints(step: Step, tasks: TaskHints[]): string[] {
  const lines = [`Every hint for step ${step.number} · ${step.title}:`]
  for (const task of tasks) {
    lines.push('', `🐨 ${task.task} · ${task.title}`)
    for (const rung of task.rungs) lines.push('', rung)
  }
  lines.push('', `Still stuck? npm run diff ${step.number} shows the solution next to your code.`)
  return lines
}

/** Hints start from the first rung again (after a reset). */
export function forgetHints(step: Step, root = rootDir): void {
  updateProgress((progress) => {
    delete stepProgress(progress, step.name).hints
  }, root)
}
