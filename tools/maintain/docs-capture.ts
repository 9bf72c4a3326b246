// npm run docs:capture: runs the real commands that README.md shows and writes their output into
// its capture blocks (between `<!-- capture:NAME -->` and `<!-- /capture -->`), so the captured
// output is never older than the workshop. It works on a throwaway copy of the workshop: step 1
// solved, then `npm run progress`; then `npm start` with the keys h and q, step 2 solved by
// saving the finished files. test/workshop/docs.test.ts checks what the blocks say.
import { spawn } from 'node:child_process'
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runMain, UserError } from '../lib/errors.js'
import { resolveMongo } from '../lib/mongo.js'
import { listSteps, rootDir } from '../lib/steps.js'
import { copyOf, timed } from './bench/feedback.js'

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'

runMain(async () => {
  const mongo = await resolveMongo()
  process.env.MONGO_URL = mongo.url
  const copy = copyOf(rootDir)
  try {
    const [one, two] = listSteps(copy.dir)
    if (!one || !two) throw new UserError('docs:capture needs at least two steps.')
    const solve = (name: string) => {
      for (const file of readdirSync(join(copy.dir, 'solutions', name)).filter((file) => file.endsWith('.ts'))) {
        cpSync(join(copy.dir, 'solutions', name, file), join(copy.dir, 'steps', name, file))
      }
    }
    await timed(npm, ['run', 'doctor'], copy.dir) // keeps the starters, as a learner's first command
    solve(one.name)
    const progress = await timed(npm, ['run', 'progress'], copy.dir)
    if (progress.code !== 0) throw new Error(`npm run progress failed:\n${progress.output}`)

    console.log('npm start, keys h and q, step 2 solved on the way…')
    const guided = await guidedSession(copy.dir, () => solve(two.name))
    let readme = readFileSync(join(rootDir, 'README.md'), 'utf8')
    readme = replaceBlock(readme, 'progress', `$ npm run progress\n${withoutBanner(progress.output)}`)
    readme = replaceBlock(readme, 'guided', `$ npm start\n${withoutBanner(guided)}`)
    writeFileSync(join(rootDir, 'README.md'), readme)
    console.log('README.md: the progress and guided blocks are written anew.')
    return 0
  } finally {
    copy.remove()
    await mongo.stop()
  }
})

/** npm's own two lines ("> name@1.0.0 start", "> node tools/run.mjs start") and blank ends go. */
function withoutBanner(output: string): string {
  return `${output
    .split('\n')
    .filter((line) => !/^> /.test(line))
    .join('\n')
    .trim()}\n`
}

/** Guided mode from its first verdict: h, then the solution saved, up to the next step's heading. */
function guidedSession(dir: string, solveStep: () => void): Promise<string> {
  const child = spawn(npm, ['start'], {
    cwd: dir,
    stdio: ['pipe', 'pipe', 'pipe'],
    shell: process.platform === 'win32',
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const until = async (pattern: RegExp, from = 0): Promise<number> => {
    const began = Date.now()
    while (!pattern.test(output.slice(from))) {
      if (Date.now() - began > 120_000 || child.exitCode !== null)
        throw new Error(`guided mode did not print ${pattern}:\n${output}`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    return output.length
  }
  return (async () => {
    try {
      let at = await until(/❌ \d\d:\d\d:\d\d/)
      child.stdin.write('h')
      at = await until(/npm run hint \d+ again/, at)
      solveStep()
      await until(/✅ \d\d:\d\d:\d\d/, at)
      await until(/━━ Step 3 of/) // printed with the ✅, perhaps in the same chunk
      // The next step's heading ends the excerpt.
      const end = output.indexOf('\n', output.indexOf('━━ Step 3 of'))
      return `${output.slice(0, end)}\n…`
    } finally {
      child.stdin.end('q')
      await new Promise((resolve) => child.once('exit', resolve))
    }
  })()
}

/** Replaces the fenced block after `<!-- capture:name -->` (up to `<!-- /capture -->`). */
function replaceBlock(text: string, name: string, content: string): string {
  const start = `<!-- capture:${name} -->`
  const from = text.indexOf(start)
  const to = text.indexOf('<!-- /capture -->', from)
  if (from < 0 || to < 0) throw new Error(`README.md has no ${start} … <!-- /capture --> block`)
  return `${text.slice(0, from + start.length)}\n\`\`\`\n${content}\`\`\`\n${text.slice(to)}`
}
