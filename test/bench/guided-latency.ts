// How long a learner waits in guided mode between saving a file and seeing the new verdict.
// Runs `npm start` (tools/start.ts) on a throwaway copy of the workshop, opens a step, then saves
// its app.ts again and again (a comment added each time, so the verdict stays ❌) and times each
// save to the verdict line. Both watch modes: file-system events and --poll.
//
//   MONGO_URL=mongodb://127.0.0.1:27017 npx tsx test/bench/guided-latency.ts [step] [samples]
import { performance } from 'node:perf_hooks'
import { startTool } from '../support/interactive.js'
import { copyWorkshop } from '../support/workshop-copy.js'
import { listSteps } from '../../tools/lib/steps.js'

const stepNumber = Number(process.argv[2] ?? 2)
const samples = Number(process.argv[3] ?? 5)
const step = listSteps().find((candidate) => candidate.number === stepNumber)
if (!step) throw new Error(`no step ${stepNumber}`)
const folder = step.name

async function measure(poll: boolean): Promise<number[]> {
  const copy = copyWorkshop()
  const guided = startTool('start', [String(stepNumber), ...(poll ? ['--poll'] : [])], { root: copy.root })
  try {
    let at = await guided.waitFor(/[❌✅] \d\d:\d\d:\d\d/)
    const times: number[] = []
    for (let sample = 1; sample <= samples; sample++) {
      await new Promise((resolve) => setTimeout(resolve, 1000))
      const saved = performance.now()
      copy.write(`${copy.read('steps', folder, 'app.ts')}\n// save ${sample}\n`, 'steps', folder, 'app.ts')
      at = await guided.waitFor(/[❌✅] \d\d:\d\d:\d\d/, at)
      times.push(Math.round(performance.now() - saved))
    }
    return times
  } finally {
    guided.kill('SIGINT')
    await guided.exited
    copy.remove()
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0
for (const poll of [false, true]) {
  const times = await measure(poll)
  console.log(
    `step ${stepNumber}, ${poll ? '--poll' : 'fs events'}: save → verdict ${times.join(', ')} ms (median ${median(times)} ms, min ${Math.min(...times)}, max ${Math.max(...times)})`,
  )
}
