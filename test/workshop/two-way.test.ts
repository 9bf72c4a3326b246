// The workshop proves itself in both directions (rustlings does the same): every starter still
// fails its own check, passes the earlier ones, and carries tasks and hints. The solutions'
// side (solutions/NN passes checks 1..NN) runs as its own projects in vitest.config.ts.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { listSteps } from '../../tools/lib/steps.js'
import { runTool } from '../support/cli.js'

const steps = listSteps()

/** Splits `npm run check` output into "Check NN-slug" sections. */
function sections(output: string): Map<string, string> {
  const found = new Map<string, string>()
  for (const part of output.split(/^Check /m).slice(1)) {
    const [name = '', ...rest] = part.split('\n')
    found.set(name.trim(), rest.join('\n'))
  }
  return found
}

describe('the steps', () => {
  it('are numbered 01, 02, … without gaps, each with a starter, a solution and a check file', () => {
    expect(steps.length).toBeGreaterThanOrEqual(4)
    for (const [index, step] of steps.entries()) expect(step.number).toBe(index + 1)
    for (const step of steps) {
      expect(
        readdirSync(step.solutionDir).sort(),
        `solutions/${step.name} and steps/${step.name} should hold the same files`,
      ).toEqual(readdirSync(step.stepDir).sort())
      expect(readFileSync(step.checkFile, 'utf8')).toContain(`workshopDir('${step.name}')`)
    }
  })
})

for (const step of steps) {
  describe(`steps/${step.name}`, () => {
    const lesson = readFileSync(join(step.stepDir, 'README.md'), 'utf8')

    it('has a 🐨 task in its code and a lesson with 💰 hints and the check command', () => {
      const code = readdirSync(step.stepDir)
        .filter((file) => file.endsWith('.ts'))
        .map((file) => readFileSync(join(step.stepDir, file), 'utf8'))
        .join('\n')
      expect(code, 'every starter has at least one 🐨 task').toContain('🐨')
      expect(lesson, 'the lesson has hints').toMatch(/^\s*(- )?💰/m)
      expect(lesson).toMatch(new RegExp(`^# ${step.id} · \\S`))
      expect(lesson).toContain(`npm run check ${step.number}`)
      expect(lesson).toContain(`npm run step ${step.number}`)
      expect(readFileSync(join(step.solutionDir, 'README.md'), 'utf8'), 'the solution carries the same lesson').toBe(
        lesson,
      )
    })

    it(`fails check ${step.id} and passes the checks before it (npm run check ${step.number})`, async () => {
      const result = await runTool('check', [String(step.number)])
      expect(result.code, result.stdout + result.stderr).toBe(1)
      const found = sections(result.stdout)
      for (const earlier of steps.filter((candidate) => candidate.number <= step.number)) {
        const section = found.get(earlier.name)
        expect(section, `check ${earlier.name} should have run`).toBeDefined()
        if (earlier.number < step.number)
          expect(section, `steps/${step.name} should pass check ${earlier.name}`).not.toContain('✗')
      }
      const own = found.get(step.name) ?? ''
      expect(own, 'the starter must not be solved already').toContain('✗')
      expect(own, 'every failure speaks a 🚨 sentence').toContain('🚨')
    })
  })
}

describe('npm run check N -- --solution', () => {
  it('exits 0 and names the next step when the checks pass', async () => {
    const result = await runTool('check', ['1', '--solution'])
    expect(result.code, result.stdout + result.stderr).toBe(0)
    expect(result.stdout).toContain('Next: npm run step 2')
    expect(result.stdout).not.toContain('✗')
  })
})
