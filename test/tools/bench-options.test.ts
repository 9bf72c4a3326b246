// npm run bench's options: a quick run prints its table and leaves docs/benchmarks.md alone unless
// told to write; a full run writes it; --feedback measures verdict latency and writes only when
// told. The benchmarks themselves do not run here.
import { describe, expect, it } from 'vitest'
import { UserError } from '../../tools/lib/errors.js'
import { parseBenchOptions } from '../../tools/maintain/bench/options.js'

describe('parseBenchOptions', () => {
  it.each([
    [[], { quick: false, seconds: 10, write: true }],
    [['--quick'], { quick: true, seconds: 3, write: false }],
    [['--quick', '--write'], { quick: true, seconds: 3, write: true }],
    [['--write'], { quick: false, seconds: 10, write: true }],
    [['--feedback'], { feedback: true, write: false, samples: 5, steps: [] }],
    [
      ['--feedback', '--samples', '3', '--steps', '2,8', '--write'],
      { feedback: true, write: true, samples: 3, steps: [2, 8] },
    ],
  ])('npm run bench -- %j', (args, expected) => {
    expect(parseBenchOptions(args)).toMatchObject(expected)
  })

  it('answers an unknown option with one sentence naming the options', () => {
    expect(() => parseBenchOptions(['--fast'])).toThrow(UserError)
    expect(() => parseBenchOptions(['--fast'])).toThrow(
      /^Unknown option '--fast'.*: the options are --quick \(3 s per configuration, docs\/benchmarks\.md left alone\), --write .*--feedback/,
    )
  })

  it.each([
    [['--feedback', '--samples', '0'], '--samples takes a whole number from 1, not "0".'],
    [
      ['--feedback', '--steps', '2,x'],
      '--steps takes step numbers separated by commas, as in --steps 2,5,8, not "2,x".',
    ],
  ])('answers %j with one sentence', (args, sentence) => {
    expect(() => parseBenchOptions(args)).toThrow(sentence)
  })
})
