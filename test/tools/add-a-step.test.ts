// Adding a step is a short task (CONTRIBUTING.md, "Adding a step"): an entry in steps.json, the step's
// solution (the previous one, copied, with the step's change), its lesson, its hints and its
// check, five files written; `npm run steps:build` makes the starter, the 💰 code and the tables.
// On a throwaway copy of the workshop, a scratch step added that way is a step like the others.
import { cpSync, mkdirSync, readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listSteps, type Step } from '../../tools/lib/steps.js'
import { mongo, runTool } from '../support/cli.js'
import { copyWorkshop, type WorkshopCopy } from '../support/workshop-copy.js'

const steps = listSteps()
const last = steps.at(-1) as Step
const number = steps.length + 1
const id = String(number).padStart(2, '0')
const name = `${id}-ping`

let copy: WorkshopCopy
/** The files written by hand to add the step (copies of the previous solution aside). */
const written: string[] = []
const write = (content: string, ...parts: string[]) => {
  mkdirSync(dirname(copy.path(...parts)), { recursive: true })
  copy.write(content, ...parts)
  written.push(parts.join('/'))
}

beforeAll(() => {
  copy = copyWorkshop()
  // 1. The manifest: the step's slug, title and summary.
  const manifest = JSON.parse(copy.read('steps.json')) as { steps: object[] }
  manifest.steps.push({ slug: 'ping', title: 'Ping', summary: '`GET /ping`, which answers `{ "pong": true }`' })
  write(`${JSON.stringify(manifest, null, 2)}\n`, 'steps.json')
  // 2. The solution: the previous step's, with the step's change.
  cpSync(copy.path('solutions', last.name), copy.path('solutions', name), { recursive: true })
  const app = copy.read('solutions', name, 'app.ts')
  write(
    app.replace(
      "  app.get('/health'",
      "  // Answers anyone, at once: a liveness probe.\n  app.get('/ping', (_req, res) => {\n    res.json({ pong: true })\n  })\n\n  app.get('/health'",
    ),
    'solutions',
    name,
    'app.ts',
  )
  // 3. The lesson, 4. the hints, 5. the check.
  write(
    `# ${id} · Ping\n\nA route that answers at once.\n\nRun it with \`npm run step ${number}\`, check it with \`npm run check ${number}\`.\n`,
    'steps',
    name,
    'README.md',
  )
  write(
    [
      `# Hints · ${id} · Ping`,
      '',
      '## 🐨 1 · app.ts: GET /ping',
      '> GET /ping answers { pong: true }, before the health route.',
      'Checked by: GET /ping > answers pong',
      '',
      '1. 💡 A route and its handler.',
      '2. 📖 `app.get(path, handler)` and `res.json(body)`.',
      '3. 💰 In `createApp()`:',
      "   ```ts app.ts: app.get('/ping'",
      '   ```',
      '',
    ].join('\n'),
    'steps',
    name,
    'hints.md',
  )
  write(
    [
      "import request from 'supertest'",
      "import { describe, it } from 'vitest'",
      "import { answer } from './support/http.js'",
      "import { checkedStep, checkFixtures, must, secret } from './support/workshop.js'",
      '',
      `const step = checkedStep('${name}')`,
      `const { createApp } = checkFixtures(step, '${id}')`,
      '',
      "describe('GET /ping', () => {",
      "  it('answers pong', async () => {",
      '    const app = (await createApp<{ secret: string }>())({ secret })',
      "    const response = await answer(request(app).get('/ping'), 'GET /ping')",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the check's own template literal, as text
      '    must(response.status === 200, `GET /ping answered ${response.status}: add the route in ${step.where}/app.ts.`)',
      '  })',
      '})',
      '',
    ].join('\n'),
    'test',
    `${name}.test.ts`,
  )
}, 60_000)

afterAll(() => copy?.remove())

describe('a step added through steps.json', () => {
  it('takes at most six files to write', () => {
    expect(written.length).toBeLessThanOrEqual(6)
  })

  it('gets its starter, its 💰 code and its row in the tables from npm run steps:build', async () => {
    const built = await runTool('steps-build', [], {}, 60_000, { root: copy.root })
    expect(built.code, built.stdout + built.stderr).toBe(0)
    const starter = copy.read('steps', name, 'app.ts')
    expect(starter).toContain('// 🐨 1. GET /ping answers { pong: true }')
    expect(starter).not.toContain("app.get('/ping'")
    expect(copy.read('steps', name, 'hints.md')).toContain("   app.get('/ping', (_req, res) => {")
    for (const doc of ['README.md', 'WORKSHOP.md']) expect(copy.read(doc)).toContain('`GET /ping`, which answers')
    const check = await runTool('steps-build', ['--check'], {}, 60_000, { root: copy.root })
    expect(check.code, check.stdout + check.stderr).toBe(0)
  })

  it("carries a changed line of a solution into the next step's starter, and --check fails until it does", async () => {
    const app = ['solutions', last.name, 'app.ts'] as const
    copy.write(`// A line changed in solutions/${last.name}.\n${copy.read(...app)}`, ...app)
    const stale = await runTool('steps-build', ['--check'], {}, 60_000, { root: copy.root })
    expect(stale.code, stale.stdout + stale.stderr).toBe(1)
    expect(stale.stdout + stale.stderr).toContain(`steps/${name}/app.ts`)
    const built = await runTool('steps-build', [], {}, 60_000, { root: copy.root })
    expect(built.code, built.stdout + built.stderr).toBe(0)
    expect(copy.read('steps', name, 'app.ts')).toContain(`// A line changed in solutions/${last.name}.`)
    const check = await runTool('steps-build', ['--check'], {}, 60_000, { root: copy.root })
    expect(check.code, check.stdout + check.stderr).toBe(0)
  })

  it('is checked, hinted and listed like every other step', async () => {
    const solved = await runTool('check', [String(number), '--solution'], mongo(), 120_000, { root: copy.root })
    expect(solved.code, solved.stdout + solved.stderr).toBe(0)
    const starter = await runTool('check', [String(number)], mongo(), 120_000, { root: copy.root })
    expect(starter.code).toBe(1)
    expect(starter.stdout).toMatch(/🚨 GET \/ping answered 404: add the route in steps\/\d+-ping\/app\.ts\./)
    const hint = await runTool('hint', [String(number)], {}, 30_000, { root: copy.root })
    expect(hint.stdout).toContain(`Hint 1 of 3 for step ${number}`)
    const progress = await runTool('progress', [], mongo(), 120_000, { root: copy.root })
    expect(progress.stdout).toContain(`${id} · Ping`)
    // The step before is unchanged, and its own starter still what steps:build makes.
    expect(readFileSync(copy.path('steps', last.name, 'app.ts'), 'utf8')).toBe(
      readFileSync(`${process.cwd()}/steps/${last.name}/app.ts`, 'utf8'),
    )
  }, 240_000)
})
