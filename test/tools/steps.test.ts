import { describe, expect, it } from 'vitest'
import { UserError } from '../../tools/lib/errors.js'
import { listSteps, parseStep } from '../../tools/lib/steps.js'

const steps = listSteps()

describe('parseStep', () => {
  it('finds a step by its number, with or without a leading zero', () => {
    expect(parseStep('3', steps, 'step').name).toBe('03-mongo-store')
    expect(parseStep('03', steps, 'step').name).toBe('03-mongo-store')
  })

  it.each([
    [undefined, 'Which step? Add its number, for example `npm run step 1`'],
    ['', 'Which step?'],
    ['x', '"x" is not a step number: use a number from 1 to'],
    ['-1', '"-1" is not a step number'],
    ['2.5', '"2.5" is not a step number'],
    ['0', 'There is no step 0: this workshop has steps 1 to'],
    ['99', 'There is no step 99: this workshop has steps 1 to'],
  ])('explains what to type for %j', (input, message) => {
    expect(() => parseStep(input, steps, 'step')).toThrow(UserError)
    expect(() => parseStep(input, steps, 'step')).toThrow(message)
  })

  it('names the command the learner typed', () => {
    expect(() => parseStep(undefined, steps, 'check')).toThrow('`npm run check 1`')
  })
})

describe('listSteps', () => {
  it("reads each step's title from its lesson, without the number", () => {
    for (const step of steps) {
      expect(step.title).not.toMatch(/^\d/)
      expect(step.title).not.toBe(step.name)
    }
  })

  it('knows which steps need MongoDB: those with a store.ts', () => {
    expect(steps.filter((step) => step.usesMongo).map((step) => step.number)).toEqual(
      steps.filter((step) => step.number >= 3).map((step) => step.number),
    )
  })
})
