// Runs the workshop's commands as a learner would: a child process, real output captured.
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { rootDir } from '../../tools/lib/steps.js'

export interface CommandResult {
  code: number | null
  stdout: string
  stderr: string
  /** Milliseconds from start to exit. */
  ms: number
}

/** Runs `tsx tools/<tool>.ts ...args` and waits for it to exit (killed after timeoutMs). */
export function runTool(tool: string, args: string[], env: Record<string, string | undefined> = {}, timeoutMs = 60_000): Promise<CommandResult> {
  const started = Date.now()
  const child = spawn(process.execPath, ['--import', 'tsx', join(rootDir, 'tools', `${tool}.ts`), ...args], {
    cwd: rootDir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  return new Promise((resolve) => {
    child.once('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr, ms: Date.now() - started })
    })
  })
}

/** True when the text looks like a stack trace ("    at fn (file:line:col)"). */
export function hasStackTrace(text: string): boolean {
  return /^\s+at .+:\d+:\d+\)?$/m.test(text)
}
