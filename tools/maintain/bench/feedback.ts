// How long a learner waits for a verdict: `npm run check`, guided mode from a save to the verdict,
// `npm run progress` checking every step, and a module that never finishes loading, each timed as
// whole commands, side by side with a bare `vitest run` of one trivial test (the floor, measured
// alternately with each command so that a machine's drift cancels out in the ratios).
// Runs on a throwaway copy of a workshop folder (this one, or --root another checkout), so the
// learner's own steps/ and progress are never touched.
import { spawn } from 'node:child_process'
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { exitedWithOutput } from '../../lib/child.js'

export interface Timed {
  ms: number
  output: string
  code: number | null
}

export interface FeedbackRow {
  what: string
  /** Milliseconds, one per sample. */
  samples: number[]
  /** Each sample divided by the floor measured next to it. */
  ratios?: number[]
  target: string
  /** Whether the median meets the target. */
  meets?: boolean
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx'

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}

/** Runs a command to its end (at most capMs) and times it; `until`, when given, stops the clock when the output matches. */
export function timed(command: string, args: string[], cwd: string, capMs = 120_000, until?: RegExp): Promise<Timed> {
  return new Promise((resolve) => {
    const began = performance.now()
    const child = spawn(command, args, {
      cwd,
      env: process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: process.platform === 'win32',
    })
    let output = ''
    let stopped: number | undefined
    const read = (chunk: Buffer) => {
      output += chunk.toString()
      if (until && stopped === undefined && until.test(output)) stopped = performance.now() - began
    }
    child.stdout.on('data', read)
    child.stderr.on('data', read)
    const cap = setTimeout(() => child.kill('SIGKILL'), capMs)
    // Timed to its exit; resolved once what it printed has all been read.
    child.once('exit', () => {
      stopped ??= performance.now() - began
    })
    void exitedWithOutput(child).then(({ code }) => {
      clearTimeout(cap)
      resolve({ ms: Math.round(stopped ?? performance.now() - began), output, code })
    })
  })
}

/** A copy of a workshop folder without its node_modules (linked instead), .git and .workshop. */
export function copyOf(root: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'workshop-feedback-'))
  for (const entry of readdirSync(root)) {
    if (['node_modules', '.git', '.workshop', 'test-results', 'coverage'].includes(entry)) continue
    cpSync(join(root, entry), join(dir, entry), { recursive: true })
  }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'junction')
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** A folder with one trivial vitest test and nothing else: the floor every figure is compared with. */
export function floorFolder(root: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'workshop-floor-'))
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n')
  writeFileSync(
    join(dir, 'trivial.test.ts'),
    "import { expect, it } from 'vitest'\n\nit('adds', () => {\n  expect(1 + 1).toBe(2)\n})\n",
  )
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'junction')
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

export const floor = (dir: string) => timed(npx, ['vitest', 'run'], dir)

/** The step folders of a workshop, sorted: ["01-bare-express", …]. */
export function stepNames(root: string): string[] {
  return readdirSync(join(root, 'steps'))
    .filter((name) => /^\d\d-/.test(name))
    .sort()
}

/** Copies every solution's code over its step: the learner finished them all. */
export function solveAll(root: string): void {
  for (const name of stepNames(root)) {
    for (const file of readdirSync(join(root, 'solutions', name))) {
      if (file.endsWith('.ts') || file.endsWith('.json'))
        cpSync(join(root, 'solutions', name, file), join(root, 'steps', name, file))
    }
  }
}

/**
 * Guided mode on step n of a copy: waits for its first verdict, then saves app.ts again and again
 * (a comment each time) and times each save to the step's own verdict, and to the whole verdict.
 * Where guided mode prints no verdict of the step's own check (an older workshop), both are the same.
 */
export async function guidedSaves(
  root: string,
  n: number,
  samples: number,
  poll = false,
): Promise<{ own: number[]; full: number[] }> {
  const name = stepNames(root)[n - 1]
  if (!name) throw new Error(`no step ${n}`)
  const child = spawn(npm, ['start', '--', String(n), ...(poll ? ['--poll'] : [])], {
    cwd: root,
    env: process.env,
    stdio: ['pipe', 'pipe', 'pipe'],
    shell: process.platform === 'win32',
  })
  let output = ''
  const read = (chunk: Buffer) => {
    output += chunk.toString()
  }
  child.stdout.on('data', read)
  child.stderr.on('data', read)
  const full = /[❌✅] \d\d:\d\d:\d\d/
  const ownOrFull = new RegExp(`[✓✗] check ${name.slice(0, 2)}( passes|:)|[❌✅] \\d\\d:\\d\\d:\\d\\d`)
  /** Resolves with the time the output after `from` first matched (it looks every 5 ms). */
  const matched = async (pattern: RegExp, from: number, capMs = 120_000): Promise<number> => {
    const began = performance.now()
    for (;;) {
      if (pattern.test(output.slice(from))) return performance.now()
      if (performance.now() - began > capMs || child.exitCode !== null) {
        throw new Error(`guided mode printed no verdict within ${capMs / 1000} s; it printed:\n${output.slice(-2000)}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  }
  try {
    await matched(full, 0)
    const own: number[] = []
    const whole: number[] = []
    const app = join(root, 'steps', name, 'app.ts')
    for (let sample = 1; sample <= samples; sample++) {
      await new Promise((resolve) => setTimeout(resolve, 1000))
      const from = output.length
      const saved = performance.now()
      writeFileSync(app, `${readFileSync(app, 'utf8')}\n// save ${sample}\n`)
      own.push(Math.round((await matched(ownOrFull, from)) - saved))
      whole.push(Math.round((await matched(full, from)) - saved))
    }
    return { own, full: whole }
  } finally {
    // The end of standard input quits guided mode; SIGKILL if it has not after 5 s.
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.stdin.end()
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000)
    await exited
    clearTimeout(kill)
  }
}

export interface FeedbackOptions {
  /** The workshop to measure (a copy of it is used). */
  root: string
  samples: number
  /** Guided mode is measured on these steps. */
  guidedSteps: number[]
  log(line: string): void
}

/** Every figure of the feedback table, measured in one run. */
export async function measureFeedback(options: FeedbackOptions): Promise<FeedbackRow[]> {
  const { samples, log } = options
  const copy = copyOf(options.root)
  const base = floorFolder(options.root)
  const rows: FeedbackRow[] = []
  const last = stepNames(copy.dir).length
  try {
    // The floor and a command, in turn: floor, command, floor, command…
    const paired = async (
      what: string,
      target: string,
      run: () => Promise<Timed>,
      limit?: (ratio: number, ms: number) => boolean,
    ) => {
      const floors: number[] = []
      const times: number[] = []
      for (let i = 0; i < samples; i++) {
        floors.push((await floor(base.dir)).ms)
        const result = await run()
        if (result.code !== 0 && result.code !== 1) throw new Error(`${what} failed:\n${result.output.slice(-1500)}`)
        times.push(result.ms)
      }
      const ratios = times.map((ms, i) => ms / (floors[i] ?? ms))
      rows.push({ what, samples: times, ratios, target, meets: limit?.(median(ratios), median(times)) })
      if (!rows.some((row) => row.what === 'bare `vitest run` of one trivial test (the floor)')) {
        rows.unshift({ what: 'bare `vitest run` of one trivial test (the floor)', samples: floors, target: '' })
      }
      log(`  ${what}: ${median(times)} ms (×${median(ratios).toFixed(2)} the floor)`)
      return { times, ratios }
    }

    log('npm run check, cold, against the finished solutions:')
    const one = await paired(
      '`npm run check 1 -- --solution`',
      '≤ 2× the floor',
      () => timed(npm, ['run', 'check', '1', '--', '--solution'], copy.dir),
      (ratio) => ratio <= 2,
    )
    const lastCheck = await paired(`\`npm run check ${last} -- --solution\``, '≤ 3× check 1', () =>
      timed(npm, ['run', 'check', String(last), '--', '--solution'], copy.dir),
    )
    const versusOne = median(lastCheck.times) / median(one.times)
    const lastRow = rows.at(-1)
    if (lastRow) {
      lastRow.target = `≤ 3× check 1 (here ×${versusOne.toFixed(2)})`
      lastRow.meets = versusOne <= 3
    }

    // On the starters, as a learner's save usually is: code that does not pass yet.
    log("guided mode, a save of the step's starter to the verdict (the step's own check first):")
    const floorMs = median(rows[0]?.samples ?? [1])
    for (const n of options.guidedSteps) {
      const { own, full } = await guidedSaves(copy.dir, n, samples)
      rows.push({
        what: `guided mode, step ${n}, its starter saved → own check's verdict`,
        samples: own,
        ratios: own.map((ms) => ms / floorMs),
        target: '≤ 1.5× the floor',
        meets: median(own) / floorMs <= 1.5,
      })
      rows.push({
        what: `guided mode, step ${n}, its starter saved → whole verdict (checks 1 to ${n})`,
        samples: full,
        target: '',
      })
      log(`  step ${n}: own verdict ${median(own)} ms, whole verdict ${median(full)} ms`)
    }

    log('npm run progress, every step changed (all solved, no verdicts kept):')
    solveAll(copy.dir)
    const progress: number[] = []
    for (let i = 0; i < Math.min(samples, 3); i++) {
      rmSync(join(copy.dir, '.workshop', 'progress.json'), { force: true })
      const result = await timed(npm, ['run', 'progress'], copy.dir, 300_000)
      if (!/steps done/.test(result.output)) throw new Error(`npm run progress failed:\n${result.output.slice(-1500)}`)
      progress.push(result.ms)
    }
    rows.push({
      what: '`npm run progress`, re-checking every step',
      samples: progress,
      target: '≤ 6 s',
      meets: median(progress) <= 6000,
    })
    log(`  ${median(progress)} ms`)

    // The usual case: the learner worked on one step since the last verdicts.
    const middle = stepNames(copy.dir)[Math.floor(last / 2)] ?? ''
    const oneChanged: number[] = []
    for (let i = 0; i < Math.min(samples, 3); i++) {
      const file = join(copy.dir, 'steps', middle, 'app.ts')
      writeFileSync(file, `${readFileSync(file, 'utf8')}\n// change ${i}\n`)
      const result = await timed(npm, ['run', 'progress'], copy.dir, 300_000)
      if (!/steps done/.test(result.output)) throw new Error(`npm run progress failed:\n${result.output.slice(-1500)}`)
      oneChanged.push(result.ms)
    }
    rows.push({
      what: `\`npm run progress\`, one step changed (${middle.slice(0, 2)}), the others' verdicts kept`,
      samples: oneChanged,
      target: '',
    })
    log(`  one step changed: ${median(oneChanged)} ms`)

    log('a module that never finishes loading (step 1 app.ts: await new Promise(() => {})):')
    const app = join(copy.dir, 'steps', stepNames(copy.dir)[0] ?? '', 'app.ts')
    writeFileSync(app, `${readFileSync(app, 'utf8')}\nawait new Promise(() => {})\n`)
    const stuck = await timed(
      npm,
      ['run', 'check', '1'],
      copy.dir,
      120_000,
      /app\.ts did not finish loading|app\.ts[^\n]*(never|stuck|timed out)/,
    )
    const named = /app\.ts did not finish loading/.test(stuck.output)
    rows.push({
      what: 'a stuck import: `npm run check 1` until a 🚨 names the file',
      samples: [named ? stuck.ms : Number.POSITIVE_INFINITY],
      target: '≤ 20 s, naming the file',
      meets: named && stuck.ms <= 20_000,
    })
    log(`  ${named ? `${stuck.ms} ms` : 'no 🚨 named the file'}`)
  } finally {
    copy.remove()
    base.remove()
  }
  return rows
}

/** The rows as a Markdown table: median, range, ratio to the floor, target, met or not. */
export function feedbackTable(rows: FeedbackRow[]): string {
  const s = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : 'never')
  const lines = ['| what | median | min – max | × floor | target | met |', '|---|---|---|---|---|---|']
  for (const row of rows) {
    const ratio = row.ratios ? `×${median(row.ratios).toFixed(2)}` : ''
    const met = row.meets === undefined ? '' : row.meets ? 'yes' : '**no**'
    lines.push(
      `| ${row.what} | ${s(median(row.samples))} | ${s(Math.min(...row.samples))} – ${s(Math.max(...row.samples))} | ${ratio} | ${row.target} | ${met} |`,
    )
  }
  return lines.join('\n')
}
