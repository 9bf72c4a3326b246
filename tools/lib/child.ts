// When a child process has ended, with all it printed read (the tests' and the benchmarks' commands).
import type { ChildProcess } from 'node:child_process'

/**
 * Resolves once the child has exited and its stdout and stderr have ended. 'exit' can come before
 * the last chunk of output is read, on a busy machine, and a sentence checked then would be
 * missing. It waits at most a second for the pipes, since a process the child started may keep
 * them open. Call it right after spawn().
 */
export function exitedWithOutput(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const ended = [child.stdout, child.stderr].flatMap((stream) =>
    stream ? [new Promise<void>((resolve) => stream.once('close', () => resolve()))] : [],
  )
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      const cap = new Promise<void>((done) => setTimeout(done, 1000).unref())
      void Promise.race([Promise.all(ended), cap]).then(() => resolve({ code, signal }))
    })
  })
}
