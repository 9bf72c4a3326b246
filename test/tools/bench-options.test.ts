// npm run bench's options: a quick run prints its table and leaves docs/benchmarks.md alone unless
// told to write; a full run writes it. The benchmark itself does not run here.
import { describe, expect, it } from 'vitest'
import { parseBenchOptions } from '../../tools/bench/options.js'
import { UserError } from '../../tools/lib/errors.js'

describe('parseBenchOptions', () => {
  it.each([
    [[], { quick: false, seconds: 10, write: true }],
    [['--quick'], { quick: true, seconds: 3, write: false }],
    [['--quick', '--write'], { quick: true, seconds: 3, write: true }],
    [['--write'], { quick: false, seconds: 10, write: true }],
  ])('npm run bench -- %j', (args, expected) => {
    expect(parseBenchOptions(args)).toEqual(expected)
  })

  it('answers an unknown option with one sentence naming the options', () => {
    expect(() => parseBenchOptions(['--fast'])).toThrow(UserError)
    expect(() => parseBenchOptions(['--fast'])).toThrow(
      /^Unknown option '--fast'.*: the options are --quick \(3 s per configuration, docs\/benchmarks\.md left alone\) and --write/,
    )
  })
})
