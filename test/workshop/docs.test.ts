// README.md, WORKSHOP.md and the lessons speak of the workshop as it is: the commands they name
// exist, the step numbers they name exist, and captured output counts the steps there are.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { listSteps, rootDir } from '../../tools/lib/steps.js'

const steps = listSteps()
const scripts = Object.keys(
  (JSON.parse(readFileSync(join(rootDir, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts,
)
const documents = ['README.md', 'WORKSHOP.md', ...steps.map((step) => join('steps', step.name, 'README.md'))]
const read = (file: string) => readFileSync(join(rootDir, file), 'utf8')

describe.each(documents)('%s', (file) => {
  const text = read(file)

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
    for (const [, id, slug] of text.matchAll(/\b(?:steps|solutions)\/(\d\d)-([\w-]+)/g)) {
      expect(steps.find((step) => step.id === id)?.name, `${id}-${slug}`).toBe(`${id}-${slug}`)
    }
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
