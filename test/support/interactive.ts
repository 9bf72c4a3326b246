// A workshop command that keeps running (guided mode), driven as a learner would: keys on its
// standard input (a pipe, not a terminal), its output read as it comes.
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { exitedWithOutput } from '../../tools/lib/child.js'
import { rootDir } from '../../tools/lib/steps.js'

export interface InteractiveTool {
  /** Everything printed so far, stdout and stderr. */
  output(): string
  /** Waits until the output after `from` (a length of output()) matches; returns the match's end. */
  waitFor(pattern: RegExp, from?: number, timeoutMs?: number): Promise<number>
  send(keys: string): void
  /** Ends its standard input. */
  endInput(): void
  kill(signal: NodeJS.Signals): void
  /** Ends it at once if it still runs (a test that failed halfway), and waits until it has. */
  stop(): Promise<void>
  exited: Promise<number | null>
}

export function startTool(
  tool: string,
  args: string[],
  { root = rootDir, env = {} }: { root?: string; env?: Record<string, string> } = {},
): InteractiveTool {
  const child = spawn(process.execPath, [join(root, 'tools', 'run.mjs'), tool, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let text = ''
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()))
  const exited = exitedWithOutput(child).then(({ code }) => code)
  let ended = false
  void exited.then(() => (ended = true))

  return {
    output: () => text,
    waitFor: (pattern, from = 0, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        const started = Date.now()
        const look = () => {
          const match = pattern.exec(text.slice(from))
          if (match) return resolve(from + match.index + match[0].length)
          if (ended) return reject(new Error(`it exited before printing ${pattern}; it printed:\n${text}`))
          if (Date.now() - started > timeoutMs)
            return reject(new Error(`no ${pattern} within ${timeoutMs} ms; it printed:\n${text}`))
          setTimeout(look, 50)
        }
        look()
      }),
    send: (keys) => void child.stdin?.write(keys),
    endInput: () => void child.stdin?.end(),
    kill: (signal) => void child.kill(signal),
    stop: async () => {
      if (!ended) child.kill('SIGKILL')
      await exited
    },
    exited,
  }
}
