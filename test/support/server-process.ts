// Runs a step's server.ts the way `npm run step` does (node + tsx), for the checks that need a
// real process: listening on PORT, shutting down on a signal.
import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { rootDir } from '../../tools/lib/steps.js'
import { errorLine } from './error-line.js'

export interface RunningServer {
  child: ChildProcess
  /** Everything printed so far, stdout and stderr. */
  output(): string
  /** Resolves when the output matches, rejects with the output when the process ends first or time runs out. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<void>
  /** Sends the signal; resolves with the exit code, or 'timeout' if the process is still alive after timeoutMs. */
  stop(signal: NodeJS.Signals, timeoutMs: number): Promise<number | string | null>
}

/** env adds to this process's environment; a variable set to undefined is left out. */
export function startServer(dir: string, env: Record<string, string | undefined>): RunningServer {
  const child = spawn(process.execPath, ['--import', 'tsx', join(dir, 'server.ts')], {
    cwd: rootDir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let text = ''
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()))
  const exited = new Promise<number | string | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal)),
  )

  return {
    child,
    output: () => text,
    waitFor: (pattern, timeoutMs) =>
      new Promise((resolve, reject) => {
        const timer = setInterval(() => {
          if (pattern.test(text)) done(() => resolve())
        }, 50)
        // One line of what it printed (the compiler's complaint, the error thrown), never a stack trace.
        const timeout = setTimeout(
          () => done(() => reject(new Error(`timed out; it printed: ${errorLine(text)}`))),
          timeoutMs,
        )
        void exited.then((code) => {
          if (!pattern.test(text)) done(() => reject(new Error(`it exited (${code}); it printed: ${errorLine(text)}`)))
        })
        function done(finish: () => void) {
          clearInterval(timer)
          clearTimeout(timeout)
          finish()
        }
      }),
    stop: async (signal, timeoutMs) => {
      if (child.exitCode !== null || child.signalCode !== null) return exited
      child.kill(signal)
      let timer: NodeJS.Timeout | undefined
      const result = await Promise.race([
        exited,
        new Promise<string>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs))),
      ])
      clearTimeout(timer)
      if (result === 'timeout') {
        child.kill('SIGKILL')
        await exited
      }
      return result
    },
  }
}
