// Asks a yes/no question on the terminal (or whatever feeds stdin). No means no; so does silence:
// when input ends without an answer, the caller hears 'no-answer' and can say how to skip the question.
import { createInterface } from 'node:readline'

export type Answer = 'yes' | 'no' | 'no-answer'

export function confirm(
  question: string,
  input: NodeJS.ReadableStream = process.stdin,
  output: NodeJS.WritableStream = process.stdout,
): Promise<Answer> {
  return new Promise((resolve) => {
    const lines = createInterface({ input, output, terminal: false })
    let answered = false
    output.write(`${question} [y/N] `)
    lines.once('line', (line) => {
      answered = true
      lines.close()
      resolve(/^\s*y(es)?\s*$/i.test(line) ? 'yes' : 'no')
    })
    lines.once('close', () => {
      if (answered) return
      output.write('\n')
      resolve('no-answer')
    })
  })
}
