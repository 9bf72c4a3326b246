// One source for every line of code: each step's solution is the code, and the step's hints.md
// says which of the solution's changes belong to which 🐨 task (its 💰 code blocks name them by a
// short anchor). From the two come the step's starter (the previous solution, with each task's 🐨
// comment where its code goes) and the code shown in every 💰 rung.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { diffArrays } from 'diff'
import { UserError } from './errors.js'
import { display, rootDir, type Step } from './steps.js'

/** A 💰 code block: which lines of the solution it shows, and so which changes its task owns. */
export interface CodeBlock {
  task: number
  file: string
  /** The block starts at the one line of the solution whose code holds this text. */
  anchor: string
  /**
   * …and ends where the statement ends that starts at the first line from there holding this text
   * (without it, the anchor's own statement), with the brackets that close what the block opened.
   */
  until?: string
  /** The anchor's line alone (a signature, say, without the body it opens). */
  single: boolean
  /** A comment the starter puts where this code goes: "// → task N: pointer". */
  pointer?: string
  /** The task's 🐨 comment stands here (else at its first block that is not an import). */
  marked: boolean
  /** The fence's lines in hints.md (its opening line, its closing line), and its indentation. */
  open: number
  close: number
  indent: string
}

export interface TaskSource {
  task: number
  /** The 🐨 comment's text, line by line (the "> " lines under the task's heading in hints.md). */
  brief: string[]
  blocks: CodeBlock[]
}

const heading = /^##\s+🐨\s*(\d+)\s*·/
const fenceInfo = /^(\s*)```ts\s+([\w.-]+\.ts):\s*(.+?)\s*$/

/** The tasks of a hints.md as sources of code: each one's 🐨 text and its 💰 code blocks. */
export function parseTaskSources(markdown: string, where = 'hints.md'): TaskSource[] {
  const lines = markdown.replace(/\r\n/g, '\n').split('\n')
  const tasks: TaskSource[] = []
  let current: TaskSource | undefined
  let inBrief = false
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    const title = heading.exec(line)
    if (title) {
      current = { task: Number(title[1]), brief: [], blocks: [] }
      tasks.push(current)
      inBrief = true
      continue
    }
    if (/^#/.test(line)) current = undefined
    if (!current) continue
    if (inBrief && /^>( |$)/.test(line)) {
      current.brief.push(line.replace(/^> ?/, ''))
      continue
    }
    if (line.trim() !== '') inBrief = false
    const fence = fenceInfo.exec(line)
    if (!fence) continue
    const [, indent = '', file = '', spec = ''] = fence
    const close = lines.findIndex((candidate, index) => index > i && candidate.trim() === '```')
    if (close === -1) throw new UserError(`${where}:${i + 1}: the code block never ends (a line of \`\`\`).`)
    // "… 🐨" at the end: the task's 🐨 comment stands where this block's code goes.
    const marked = /\s🐨$/.test(spec)
    const [range = '', pointer] = spec.replace(/\s🐨$/, '').split(/\s+→\s+/, 2)
    // "a … b": from a's line to the end of b's statement; "a …": a's line alone; "a": a's statement.
    const single = /\s…$/.test(range)
    const [anchor = '', until] = single ? [range.replace(/\s…$/, '')] : range.split(/\s+…\s+/, 2)
    current.blocks.push({ task: current.task, file, anchor, until, single, pointer, marked, open: i, close, indent })
    i = close
  }
  return tasks
}

/** A line that says nothing to the machine: blank, or only a comment. */
export function isCommentOrBlank(line: string): boolean {
  const text = line.trim()
  return text === '' || text.startsWith('//') || text.startsWith('/*') || text.startsWith('*')
}

const indentOf = (line: string) => line.length - line.trimStart().length

/** Brackets a line opens minus those it closes (strings are rare enough in them to be ignored). */
function bracketBalance(line: string): number {
  let balance = 0
  for (const char of line) {
    if ('([{'.includes(char)) balance++
    else if (')]}'.includes(char)) balance--
  }
  return balance
}

/** A line that only closes brackets ("}", "  })", "],"). */
const isCloser = (line: string) => /^\s*[)\]}]+[,;]?\s*$/.test(line)

/** The code of a line without a trailing // comment (strings with // in them are rare in this code). */
function codePart(line: string): string {
  const at = line.search(/\s\/\/\s/)
  return at === -1 ? line : line.slice(0, at)
}

/** The last line of the statement that starts at `start`: the lines indented deeper, and its closing bracket. */
function statementEnd(lines: string[], start: number): number {
  const depth = indentOf(lines[start] ?? '')
  let next = start + 1
  while (next < lines.length) {
    const line = lines[next] ?? ''
    if (line.trim() === '' || indentOf(line) > depth) {
      next++
      continue
    }
    if (indentOf(line) === depth && /^[)\]}]/.test(line.trim())) next++
    break
  }
  let last = next - 1
  while (last > start && (lines[last] ?? '').trim() === '') last--
  return last
}

/** Where a block is in the solution's file: its first and last line (0-based, inclusive). */
export function locate(block: CodeBlock, lines: string[], where: string): { first: number; last: number } {
  const matches = lines.flatMap((line, index) =>
    !isCommentOrBlank(line) && codePart(line).includes(block.anchor) ? [index] : [],
  )
  if (matches.length !== 1) {
    throw new UserError(
      `${where}: 🐨 ${block.task}'s code block "${block.file}: ${block.anchor}" matches ${matches.length} lines of code in ${block.file}, not 1: name a piece of code only that line holds.`,
    )
  }
  const start = matches[0] ?? 0
  let last = block.single ? start : statementEnd(lines, start)
  if (block.until !== undefined) {
    const until = block.until
    const line = lines.findIndex((candidate, index) => index >= start && codePart(candidate).includes(until))
    if (line === -1)
      throw new UserError(`${where}: 🐨 ${block.task}: no line after "${block.anchor}" holds "${until}".`)
    last = statementEnd(lines, line)
  }
  // The brackets that close what the block opened, and only those, come with it.
  let open = block.single
    ? 0
    : lines.slice(start, last + 1).reduce((sum, line) => sum + bracketBalance(codePart(line)), 0)
  while (open > 0 && last + 1 < lines.length && isCloser(lines[last + 1] ?? '')) {
    last++
    open += bracketBalance(lines[last] ?? '')
  }
  // The comment right above a statement belongs to it (// lines, or a /** … */ block).
  let first = start
  const depth = indentOf(lines[start] ?? '')
  const isDoc = (line: string) => /^\s*(\/\/|\/\*|\*)/.test(line)
  while (first > 0 && isDoc(lines[first - 1] ?? '') && indentOf(lines[first - 1] ?? '') >= depth) first--
  return { first, last }
}

/** A change between two versions of a file: prev's lines [prevStart, prevEnd) became cur's [curStart, curEnd). */
export interface Hunk {
  prevStart: number
  prevEnd: number
  curStart: number
  curEnd: number
}

/** A line that cannot tell where code moved: blank, or only brackets and punctuation. */
const isTrivial = (line: string) => /^[\s)\]}({[,;]*$/.test(line)

/**
 * The changes between two versions of a file, each a run of changed lines (no context). Blank
 * lines and lone brackets do not anchor the alignment (a `})` of the old code must not pair with a
 * `})` of new code far away); where a change begins or ends with the same such line on both sides,
 * that line is unchanged.
 */
export function hunks(prev: string[], cur: string[]): Hunk[] {
  const keyed = (lines: string[], side: string) =>
    lines.map((line, index) => (isTrivial(line) ? `${side}${index}\0${line}` : line))
  const found: Hunk[] = []
  let p = 0
  let c = 0
  let open: Hunk | undefined
  for (const change of diffArrays(keyed(prev, 'p'), keyed(cur, 'c'))) {
    const count = change.value.length
    if (!change.added && !change.removed) {
      if (open) found.push(open)
      open = undefined
      p += count
      c += count
      continue
    }
    open ??= { prevStart: p, prevEnd: p, curStart: c, curEnd: c }
    if (change.removed) p += count
    else c += count
    open.prevEnd = p
    open.curEnd = c
  }
  if (open) found.push(open)
  return found.flatMap((hunk) => {
    const trimmed = { ...hunk }
    while (
      trimmed.prevStart < trimmed.prevEnd &&
      trimmed.curStart < trimmed.curEnd &&
      prev[trimmed.prevStart] === cur[trimmed.curStart]
    ) {
      trimmed.prevStart++
      trimmed.curStart++
    }
    while (
      trimmed.prevStart < trimmed.prevEnd &&
      trimmed.curStart < trimmed.curEnd &&
      prev[trimmed.prevEnd - 1] === cur[trimmed.curEnd - 1]
    ) {
      trimmed.prevEnd--
      trimmed.curEnd--
    }
    return trimmed.prevStart === trimmed.prevEnd && trimmed.curStart === trimmed.curEnd ? [] : [trimmed]
  })
}

/**
 * Where, in the previous version, a changed line of the new one stands: within its change, right
 * after the last old line that lines up with a new line before it (a change may rewrite a whole
 * region, and its tasks' comments belong where each task's code goes, not all at its top).
 */
function placeIn(prev: string[], cur: string[], hunk: Hunk | undefined, line: number): number {
  if (!hunk) return 0
  let p = 0
  let c = 0
  let at = 0
  for (const change of diffArrays(prev.slice(hunk.prevStart, hunk.prevEnd), cur.slice(hunk.curStart, hunk.curEnd))) {
    const count = change.value.length
    if (change.added) c += count
    else if (change.removed) p += count
    else {
      for (let k = 0; k < count; k++) if (hunk.curStart + c + k < line) at = p + k + 1
      p += count
      c += count
    }
  }
  return hunk.prevStart + at
}

/** A code file of a folder, as lines ([] when the folder does not have it). */
function linesOf(dir: string, file: string): string[] {
  const path = join(dir, file)
  return existsSync(path) ? readFileSync(path, 'utf8').replace(/\r\n/g, '\n').split('\n') : []
}

function codeFilesOf(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((file) => file.endsWith('.ts')) : []
}

/** The folder a step's starter is built from: the previous step's solution, or, for the first, the base. */
export function previousSolution(step: Step, steps: Step[], root = rootDir): string {
  const before = steps.find((candidate) => candidate.number === step.number - 1)
  return before ? before.solutionDir : baseDir(root)
}

/** The code the first step starts from: the article's server, in TypeScript. */
export function baseDir(root = rootDir): string {
  return join(root, 'solutions', '00-article')
}

/** A block where it is in the solution: the lines it shows; then the changed lines it owns. */
export interface PlacedBlock extends CodeBlock {
  first: number
  last: number
}

export interface OwningBlock extends PlacedBlock {
  /** The changed lines of code that are this block's own (0-based, in the solution's file). */
  owns: number[]
  /** The change its first own line is part of, and where that change is in the previous solution. */
  hunk: Hunk | undefined
  at: number
}

export interface StepBuild {
  /** The starter's code files: name → content. */
  starter: Map<string, string>
  /** The step's hints.md with every 💰 code block filled from the solution. */
  hints: string
  /** Every block, located, with the changes it owns. */
  blocks: OwningBlock[]
}

/** Builds a step's starter and its hints' code from its solution, the previous one and its hints.md. */
export function buildStep(step: Step, steps: Step[], root = rootDir): StepBuild {
  const hintsPath = join(step.stepDir, 'hints.md')
  const where = display(hintsPath, root)
  if (!existsSync(hintsPath)) throw new UserError(`${where} is missing: every step's tasks and hints live there.`)
  const markdown = readFileSync(hintsPath, 'utf8').replace(/\r\n/g, '\n')
  const tasks = parseTaskSources(markdown, where)
  if (tasks.length === 0) throw new UserError(`${where} has no 🐨 task: a step has 1 to 6 of them.`)
  const prevDir = previousSolution(step, steps, root)
  const curDir = step.solutionDir
  const files = [...new Set([...codeFilesOf(prevDir), ...codeFilesOf(curDir)])].sort()
  const blocks: OwningBlock[] = []
  const starter = new Map<string, string>()
  const starters: Array<{ file: string; prev: string[]; cur: string[] }> = []
  // Every problem of the step at once: a maintainer fixes them in one go.
  const problems: string[] = []

  for (const file of files) {
    const prev = linesOf(prevDir, file)
    const cur = linesOf(curDir, file)
    if (cur.length === 0) {
      throw new UserError(
        `${display(join(curDir, file), root)} is missing, but the previous step has it: a step keeps every file of the one before.`,
      )
    }
    const here = tasks.flatMap((task) => task.blocks.filter((block) => block.file === file))
    const placed = here.flatMap((block) => {
      try {
        return [{ ...block, ...locate(block, cur, `${where}:${block.open + 1}`) }]
      } catch (error) {
        problems.push((error as Error).message)
        return []
      }
    })
    const changes = hunks(prev, cur)
    // A changed line of code belongs to the smallest block that shows it (a task may show a whole
    // function of which one line is another task's); comments may change freely.
    const owned = new Map<PlacedBlock, number[]>(placed.map((block) => [block, []]))
    const hunkOf = new Map<number, Hunk>()
    for (const hunk of changes) {
      // A line whose trailing comment alone changed is a change of comment.
      const before = new Set(prev.slice(hunk.prevStart, hunk.prevEnd).map((line) => codePart(line).trim()))
      for (let line = hunk.curStart; line < hunk.curEnd; line++) {
        if (isCommentOrBlank(cur[line] ?? '') || before.has(codePart(cur[line] ?? '').trim())) continue
        hunkOf.set(line, hunk)
        const covering = placed.filter((block) => line >= block.first && line <= block.last)
        const size = Math.min(...covering.map((block) => block.last - block.first))
        const owners = covering.filter((block) => block.last - block.first === size)
        if (owners.length === 1 && owners[0]) owned.get(owners[0])?.push(line)
        else {
          problems.push(
            `${display(join(curDir, file), root)}:${line + 1} changed since the previous step (${(cur[line] ?? '').trim()}), and ${owners.length === 0 ? 'no' : `${owners.length}`} 💰 code block${owners.length === 1 ? '' : 's'} of ${where} ${owners.length === 1 ? 'shows' : 'show'} it as its own: show every change in exactly one task's smallest block.`,
          )
        }
      }
      const removedCode = prev.slice(hunk.prevStart, hunk.prevEnd).some((line) => !isCommentOrBlank(line))
      const addedCode = cur.slice(hunk.curStart, hunk.curEnd).some((line) => !isCommentOrBlank(line))
      if (removedCode && !addedCode) {
        problems.push(
          `${display(join(curDir, file), root)}:${hunk.curStart + 1}: code of the previous step was removed with nothing in its place: leave a line of code there that a task's block shows.`,
        )
      }
    }
    for (const block of placed) {
      const lines = owned.get(block) ?? []
      if (lines.length === 0) {
        problems.push(
          `${where}:${block.open + 1}: 🐨 ${block.task}'s block "${block.file}: ${block.anchor}" shows no code of its own that changed in this step: point it at the task's own code.`,
        )
      }
      blocks.push({
        ...block,
        owns: lines,
        at: placeIn(prev, cur, hunkOf.get(lines[0] ?? -1), lines[0] ?? 0),
        hunk: hunkOf.get(lines[0] ?? -1),
      })
    }
    starters.push({ file, prev, cur })
  }
  // Each task's 🐨 comment stands at its first block that is not an import (imports go at the top,
  // not where the task's code goes); its other blocks may carry pointers.
  const isImport = (block: OwningBlock) => {
    const lines = linesOf(curDir, block.file)
    return block.owns.every((line) => /^import\s/.test(lines[line] ?? ''))
  }
  const here = new Set(
    tasks.flatMap((task) => {
      const own = blocks.filter((block) => block.task === task.task && block.hunk).sort((a, b) => a.open - b.open)
      const chosen = own.find((block) => block.marked) ?? own.find((block) => !isImport(block)) ?? own[0]
      return chosen ? [chosen] : []
    }),
  )
  for (const { file, prev, cur } of starters) {
    const inFile = blocks.filter((block) => block.file === file)
    starter.set(file, starterOf(prev, cur, inFile, here, tasks, prev.length === 0))
  }

  for (const task of tasks) {
    if (task.blocks.length === 0)
      problems.push(`${where}: 🐨 ${task.task} shows no code: its 💰 rung needs at least one code block.`)
    if (task.brief.length === 0)
      problems.push(`${where}: 🐨 ${task.task} has no task text: the "> " lines under its heading.`)
  }
  if (problems.length > 0) throw new UserError(problems.join('\n🚨 '))
  return { starter, hints: filled(markdown, blocks, curDir), blocks }
}

/** The previous solution's file with each task's 🐨 comment (and its pointers) where its code goes. */
function starterOf(
  prev: string[],
  cur: string[],
  blocks: OwningBlock[],
  here: Set<OwningBlock>,
  tasks: TaskSource[],
  newFile: boolean,
): string {
  /** prev line index → the lines to insert before it. */
  const inserts = new Map<number, string[]>()
  // Comments of several tasks at one place stand apart, a blank line between them.
  const add = (at: number, lines: string[]) => {
    const there = inserts.get(at)
    inserts.set(at, there ? [...there, '', ...lines] : lines)
  }
  const order = [...blocks].sort((a, b) => a.task - b.task || a.open - b.open)
  for (const block of order) {
    const { hunk } = block
    if (!hunk) continue
    // The comment is indented as the code it stands for, and set apart by blank lines, unless it
    // points at a line below that the task changes, or sits right inside brackets.
    const added = cur.slice(hunk.curStart, hunk.curEnd)
    const model = added.find((line) => !isCommentOrBlank(line)) ?? cur[block.owns[0] ?? 0] ?? ''
    const indent = ' '.repeat(indentOf(model))
    const { at } = block
    const above = prev[at - 1] ?? ''
    const below = prev[at] ?? ''
    const before = above.trim() === '' || /[({[,]$/.test(above.trim()) ? [] : ['']
    const changesBelow = at < hunk.prevEnd && !isCommentOrBlank(below)
    const after = changesBelow || below.trim() === '' || isCloser(below) ? [] : ['']
    if (here.has(block)) {
      const brief = tasks.find((task) => task.task === block.task)?.brief ?? []
      const comment = brief.map((line, index) =>
        `${indent}//${index === 0 ? ` 🐨 ${block.task}. ` : '    '}${line}`.trimEnd(),
      )
      add(at, [...before, ...comment, ...after])
    } else if (block.pointer) {
      add(at, [...before, `${indent}// → task ${block.task}: ${block.pointer}`, ...after])
    }
  }
  const out: string[] = []
  if (newFile) {
    // A file new in this step starts with its header comment, then the tasks.
    const header = cur.slice(
      0,
      Math.max(
        0,
        cur.findIndex((line) => !/^\s*\/\//.test(line)),
      ),
    )
    out.push(...header, '')
  }
  for (let i = 0; i <= prev.length; i++) {
    out.push(...(inserts.get(i) ?? []))
    if (i < prev.length) out.push(prev[i] ?? '')
  }
  // One blank line at most in a row, and one newline at the end.
  const squeezed = out.filter((line, index) => !(line.trim() === '' && (out[index - 1] ?? 'x').trim() === ''))
  while (squeezed.length > 0 && (squeezed.at(-1) ?? '').trim() === '') squeezed.pop()
  while (squeezed.length > 0 && (squeezed[0] ?? '').trim() === '') squeezed.shift()
  return `${squeezed.join('\n')}\n`
}

/** The hints with every 💰 code block's body replaced by the solution's lines it names. */
function filled(markdown: string, blocks: PlacedBlock[], curDir: string): string {
  const lines = markdown.split('\n')
  // From the last block up, so earlier line numbers stay right.
  for (const block of [...blocks].sort((a, b) => b.open - a.open)) {
    const code = linesOf(curDir, block.file).slice(block.first, block.last + 1)
    const depth = Math.min(...code.filter((line) => line.trim() !== '').map(indentOf))
    const body = code.map((line) => (line.trim() === '' ? '' : `${block.indent}${line.slice(depth)}`))
    lines.splice(block.open + 1, block.close - block.open - 1, ...body)
  }
  return lines.join('\n')
}
