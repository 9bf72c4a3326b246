// A step's hints, read from steps/NN-slug/hints.md (a file the learner never needs to edit): one
// ladder per 🐨 task, from a nudge (💡) to the API and its documentation (📖) to the code (💰),
// and the checks that prove each task, so a hint can follow the first failing check.
//
//   ## 🐨 2 · config.ts: read the port
//   Checked by: readConfig(env) > reads PORT, and 4000 when PORT is unset or empty
//
//   1. 💡 A nudge…
//   2. 📖 The API…
//   3. 💰 The code…
//      ```ts
//      …
//      ```
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { typeCheckName } from './check-reporter.js'
import type { Step } from './steps.js'

export interface TaskHints {
  /** The task's number, as its 🐨 in the starter says it. */
  task: number
  /** "config.ts: read the port". */
  title: string
  /** Full names of the checks that fail while the task is not done ("describe > it"). */
  checkedBy: string[]
  /** The rungs, nudge first, code last. */
  rungs: string[]
}

const taskHeading = /^##\s+🐨\s*(\d+)\s*·\s*(.+?)\s*$/
const rungStart = /^(\d+)\.\s+(💡|📖|💰)/

export function hintsFile(step: Step): string {
  return join(step.stepDir, 'hints.md')
}

/** Parses a hints file: the tasks in order, each with its checks and its rungs. */
export function parseHints(markdown: string): TaskHints[] {
  const tasks: TaskHints[] = []
  let current: TaskHints | undefined
  let rung: string[] | undefined
  const endRung = () => {
    // A 💰 fence's info string names where its code comes from (for npm run steps:build); the
    // learner sees only its language.
    if (current && rung)
      current.rungs.push(
        dedent(rung)
          .trim()
          .replace(/^(\s*```[\w-]*)[ \t].*$/gm, '$1'),
      )
    rung = undefined
  }
  for (const line of markdown.replace(/\r\n/g, '\n').split('\n')) {
    const heading = taskHeading.exec(line)
    if (heading) {
      endRung()
      current = { task: Number(heading[1]), title: heading[2] ?? '', checkedBy: [], rungs: [] }
      tasks.push(current)
      continue
    }
    if (!current) continue
    if (/^#/.test(line)) {
      endRung()
      current = undefined
      continue
    }
    const checked = /^Checked by:\s*(.+?)\s*$/.exec(line)
    if (checked && !rung) {
      current.checkedBy.push(checked[1] ?? '')
      continue
    }
    const start = rungStart.exec(line)
    if (start) {
      endRung()
      rung = [line.slice(start[0].length - (start[2] ?? '').length)]
      continue
    }
    // A rung goes on through its indented lines and the blank lines between them.
    if (rung && (line.trim() === '' || /^\s{2,}/.test(line))) rung.push(line)
    else endRung()
  }
  endRung()
  return tasks
}

/** The step's hints, or none when it has no hints file. */
export function stepHints(step: Step): TaskHints[] {
  const file = hintsFile(step)
  return existsSync(file) ? parseHints(readFileSync(file, 'utf8')) : []
}

/**
 * The task a hint should help with: the one proven by the first failing check (failing: names as
 * "check file › test", own check first), else the first task with rungs not yet shown.
 */
export function taskInFocus(
  tasks: TaskHints[],
  failing: string[],
  step: Step,
  shown: Record<string, number>,
  typeErrorFiles: string[] = [],
): TaskHints | undefined {
  const withRungsLeft = (candidates: TaskHints[]) =>
    candidates.find((candidate) => (shown[String(candidate.task)] ?? 0) < candidate.rungs.length) ?? candidates[0]
  for (const name of failing) {
    const [check, test] = name.split(' › ')
    if (check !== step.name) continue
    // A type error belongs to the tasks of the file it is in ("app.ts, session.ts: …" in a title).
    if (test === typeCheckName) {
      const file = typeErrorFiles[0]
      const task = file ? withRungsLeft(tasks.filter((candidate) => filesOf(candidate).includes(file))) : undefined
      if (task) return task
    }
    // A check may prove several tasks: the first whose hints are not all shown yet.
    const task = withRungsLeft(tasks.filter((candidate) => candidate.checkedBy.includes(test ?? '')))
    if (task) return task
  }
  return withRungsLeft(tasks)
}

/** The files a task's title names before its colon: "app.ts, session.ts: …" → both. */
function filesOf(task: TaskHints): string[] {
  const head = task.title.split(':')[0] ?? ''
  return head.split(/,\s*|\s+and\s+/).map((file) => file.trim())
}

/** Keeps the first line as it is and removes the indentation the others share. */
function dedent(lines: string[]): string {
  const [first = '', ...rest] = lines
  const widths = rest.filter((line) => line.trim() !== '').map((line) => line.length - line.trimStart().length)
  const common = widths.length > 0 ? Math.min(...widths) : 0
  return [first, ...rest.map((line) => line.slice(Math.min(common, line.length - line.trimStart().length)))].join('\n')
}
