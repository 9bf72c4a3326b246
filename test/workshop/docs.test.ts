// README.md, WORKSHOP.md, the other guides and the lessons speak of the workshop as it is: the
// commands they name exist, the step numbers they name exist, captured output counts the steps
// there are, and every link inside the repository leads to a file and a heading that exist.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { listSteps, rootDir } from '../../tools/lib/steps.js'

const steps = listSteps()
const scripts = Object.keys(
  (JSON.parse(readFileSync(join(rootDir, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts,
)
const documents = [
  'README.md',
  'WORKSHOP.md',
  'PRIMER.md',
  'INSTRUCTOR.md',
  'CONTRIBUTING.md',
  ...steps.map((step) => join('steps', step.name, 'README.md')),
]
const read = (file: string) => readFileSync(join(rootDir, file), 'utf8')

/** The anchors GitHub gives a Markdown file's headings: lower case, spaces to '-', other signs dropped. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>()
  const result = new Set<string>()
  for (const [, heading] of markdown.replace(/```[\s\S]*?```/g, '').matchAll(/^#{1,6}\s+(.+?)\s*$/gm)) {
    const slug = (heading ?? '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-')
    const count = seen.get(slug) ?? 0
    seen.set(slug, count + 1)
    result.add(count === 0 ? slug : `${slug}-${count}`)
  }
  return result
}

describe.each(documents)('%s', (file) => {
  const text = read(file)
  const file_ = file

  it('names only npm scripts that exist', () => {
    const named = [...text.matchAll(/npm run ([\w:-]+)/g)].map((match) => match[1])
    expect(named.filter((name) => !scripts.includes(name ?? ''))).toEqual([])
  })

  it('names only steps that exist (but where it shows bad input)', () => {
    const text = read(file)
      .split(/\n\s*\n/)
      .filter((paragraph) => !/^Bad input/.test(paragraph.trim()))
      .join('\n\n')
    const numbers = [
      ...[...text.matchAll(/npm (?:run (?:step|check|hint|diff|reset)|start --) (\d+)/g)].map((match) => match[1]),
      ...[...text.matchAll(/\(steps? (\d+)\)/g)].map((match) => match[1]),
      ...[...text.matchAll(/\bsteps\/(\d\d)-/g)].map((match) => match[1]),
    ].map(Number)
    expect(numbers.filter((n) => n < 1 || n > steps.length)).toEqual([])
    for (const [path, id, slug] of text.matchAll(/\b(?:steps|solutions)\/(\d\d)-([\w-]+)/g)) {
      // solutions/00-article, where step 1 starts, is no step.
      if (path === 'solutions/00-article' && existsSync(join(rootDir, path))) continue
      expect(steps.find((step) => step.id === id)?.name, `${id}-${slug}`).toBe(`${id}-${slug}`)
    }
  })

  it('links only to files and headings that exist', () => {
    const broken: string[] = []
    for (const [, target] of text.replace(/```[\s\S]*?```/g, '').matchAll(/\]\(([^)\s]+)\)/g)) {
      if (!target || /^[a-z]+:/.test(target)) continue
      const [path = '', anchor] = target.split('#')
      const file = path === '' ? file_ : join(dirname(file_), path)
      if (!existsSync(join(rootDir, file))) broken.push(target)
      else if (anchor && file.endsWith('.md') && !anchors(read(file)).has(anchor)) broken.push(target)
    }
    expect(broken).toEqual([])
  })

  it('counts the steps there are in captured output', () => {
    for (const [, count] of text.matchAll(/\d+ of (\d+) steps\b/g)) expect(Number(count)).toBe(steps.length)
    for (const [, count] of text.matchAll(/Step \d+ of (\d+) ·/g)) expect(Number(count)).toBe(steps.length)
  })
})

describe('README.md', () => {
  it('keeps the blocks npm run docs:capture writes: progress, then guided mode', () => {
    const text = read('README.md')
    const blocks = [...text.matchAll(/<!-- capture:(\w+) -->\n```\n([\s\S]*?)```\n<!-- \/capture -->/g)]
    expect(blocks.map(([, name]) => name)).toEqual(['progress', 'guided'])
    const [progress, guided] = blocks.map(([, , body]) => body ?? '')
    // Every step, by number and title, in the progress block; guided mode opens step 2.
    for (const step of steps) expect(progress).toContain(`${step.id} · ${step.title}`)
    expect(guided).toContain(`━━ Step 2 of ${steps.length} · ${steps[1]?.title} ━━`)
  })

  it('lists every step with its title', () => {
    const text = read('README.md')
    for (const step of steps) expect(text).toContain(`${step.id} · ${step.title}`)
  })
})
