// A step's 💰 hints, in order: from its lesson (the solution's README.md, which the learner does
// not edit), else from the 💰 comments in the starter's code.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { starterFiles } from './starters.js'
import { rootDir, type Step } from './steps.js'

const hintStart = /^(\s*)(?:[-*+]\s+|\d+\.\s+)?💰/
const listItem = /^\s*(?:[-*+]\s+|\d+\.\s+)/
const fence = /^\s*(```|~~~)/

/**
 * The 💰 paragraphs or list items of a Markdown lesson. A hint runs on through its indented lines,
 * a fenced code block that follows it, and lines that continue its paragraph; it ends at a blank
 * line before ordinary text, at another list item, or at a heading.
 */
export function hintsInMarkdown(markdown: string): string[] {
  const lines = markdown.replace(/\r\n/g, '\n').split('\n')
  const hints: string[] = []
  for (let index = 0; index < lines.length; index++) {
    const start = hintStart.exec(lines[index] ?? '')
    if (!start) continue
    const indent = start[1]?.length ?? 0
    const body = [(lines[index] ?? '').slice(start[0].length - '💰'.length)]
    let inFence = false
    let next = index + 1
    for (; next < lines.length; next++) {
      const line = lines[next] ?? ''
      if (inFence) {
        body.push(line)
        if (fence.test(line)) inFence = false
        continue
      }
      if (fence.test(line)) {
        inFence = true
        body.push(line)
        continue
      }
      if (line.trim() === '') {
        const following = lines.slice(next + 1).find((candidate) => candidate.trim() !== '') ?? ''
        const indented = following.length - following.trimStart().length > indent && !hintStart.test(following)
        if (indented || fence.test(following)) {
          body.push('')
          continue
        }
        break
      }
      if (/^\s*#/.test(line) || hintStart.test(line)) break
      if (listItem.test(line) && line.length - line.trimStart().length <= indent) break
      body.push(line)
    }
    index = next - 1
    hints.push(dedent(body).trim())
  }
  return hints
}

/** The `// 💰 ...` comments of a code file, each with the `//` lines that continue it. */
export function hintsInCode(source: string): string[] {
  const lines = source.replace(/\r\n/g, '\n').split('\n')
  const hints: string[] = []
  for (let index = 0; index < lines.length; index++) {
    const start = /^\s*\/\/\s?💰/.exec(lines[index] ?? '')
    if (!start) continue
    const body = [(lines[index] ?? '').replace(/^\s*\/\/\s?/, '')]
    while (index + 1 < lines.length && /^\s*\/\/\s{2,}\S/.test(lines[index + 1] ?? '')) {
      body.push((lines[++index] ?? '').replace(/^\s*\/\/ /, ''))
    }
    hints.push(dedent(body).trim())
  }
  return hints
}

export function stepHints(step: Step, root = rootDir): string[] {
  const lesson = [join(step.solutionDir, 'README.md'), join(step.stepDir, 'README.md')].find((file) => existsSync(file))
  const fromLesson = lesson ? hintsInMarkdown(readFileSync(lesson, 'utf8')) : []
  if (fromLesson.length > 0) return fromLesson
  return [...starterFiles(step, root)]
    .filter(([path]) => path.endsWith('.ts'))
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([path, content]) => hintsInCode(content.toString('utf8')).map((hint) => `${hint}\n(${path})`))
}

/** Keeps the first line as it is and removes the indentation the others share. */
function dedent(lines: string[]): string {
  const [first = '', ...rest] = lines
  return [first, ...dedentTail(rest)].join('\n')
}

/** Removes the indentation that all the lines share. */
function dedentTail(lines: string[]): string[] {
  const widths = lines.filter((line) => line.trim() !== '').map((line) => line.length - line.trimStart().length)
  const common = widths.length > 0 ? Math.min(...widths) : 0
  return lines.map((line) => line.slice(Math.min(common, line.length - line.trimStart().length)))
}
