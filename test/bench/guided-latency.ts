// How long a learner waits in guided mode between saving a file and seeing the new verdict, for
// one step, in both watch modes (file-system events and --poll). The same measurement as the
// guided rows of `npm run bench -- --feedback` (tools/maintain/bench/feedback.ts: a throwaway copy of the
// workshop, app.ts saved again and again with a comment added, each save timed to the verdict).
//
//   npx tsx test/bench/guided-latency.ts [step] [samples]

import { listSteps, rootDir } from '../../tools/lib/steps.js'
import { copyOf, guidedSaves, median } from '../../tools/maintain/bench/feedback.js'

const stepNumber = Number(process.argv[2] ?? 2)
const samples = Number(process.argv[3] ?? 5)
if (!listSteps().some((candidate) => candidate.number === stepNumber)) throw new Error(`no step ${stepNumber}`)

const summary = (times: number[]) =>
  `${times.join(', ')} ms (median ${median(times)} ms, min ${Math.min(...times)}, max ${Math.max(...times)})`
for (const poll of [false, true]) {
  const copy = copyOf(rootDir)
  try {
    const { own, full } = await guidedSaves(copy.dir, stepNumber, samples, poll)
    const mode = poll ? '--poll' : 'fs events'
    console.log(`step ${stepNumber}, ${mode}: save → own check's verdict ${summary(own)}`)
    console.log(`step ${stepNumber}, ${mode}: save → verdict ${summary(full)}`)
  } finally {
    copy.remove()
  }
}
