// Runs the workshop's commands as a learner would: a child process, real output captured.
import { type ChildProcess, spawn } from 'node:child_process'
import { join } from 'node:path'
import { expect, inject } from 'vitest'
import { exitedWithOutput } from '../../tools/lib/child.js'
import { freePort } from '../../tools/lib/ports.js'
import { rootDir } from '../../tools/lib/steps.js'

export interface CommandResult {
  code: number | null
  stdout: string
  stderr: string
  /** Milliseconds from start to exit. */
  ms: number
}

/**
 * Runs `npm run <tool> -- ...args` (tools/run.mjs) and waits for it to exit (killed after timeoutMs). `root` runs
 * the tool of another copy of the workshop (test/support/workshop-copy.ts); `input` is fed to its
 * standard input, which then ends.
 */
export function runTool(
  tool: string,
  args: string[],
  env: Record<string, string | undefined> = {},
  timeoutMs = 60_000,
  { root = rootDir, input }: { root?: string; input?: string } = {},
): Promise<CommandResult> {
  const started = Date.now()
  const child = spawn(process.execPath, [join(root, 'tools', 'run.mjs'), tool, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  })
  if (input !== undefined) child.stdin?.end(input)
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  return exitedWithOutput(child).then(({ code }) => {
    clearTimeout(timer)
    return { code, stdout, stderr, ms: Date.now() - started }
  })
}

/** True when the text looks like a stack trace ("    at fn (file:line:col)"). */
export function hasStackTrace(text: string): boolean {
  return /^\s+at .+:\d+:\d+\)?$/m.test(text)
}

export interface RunningTool {
  child: ChildProcess
  /** Everything printed so far, stdout and stderr. */
  output(): string
  exited: Promise<number | null>
}

/** Starts `npm run <tool> -- ...args` (tools/run.mjs) and leaves it running (for commands that serve until Ctrl+C). */
export function startTool(tool: string, args: string[], env: Record<string, string | undefined> = {}): RunningTool {
  const child = spawn(process.execPath, [join(rootDir, 'tools', 'run.mjs'), tool, ...args], {
    cwd: rootDir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let text = ''
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()))
  const exited = exitedWithOutput(child).then(({ code }) => code)
  return { child, output: () => text, exited }
}

/** A command's answer to bad input: exit code 1 and one line on stderr holding `message`, no stack trace. */
export function expectOneSentence(result: CommandResult, message: string): void {
  expect(result.code, result.stdout + result.stderr).toBe(1)
  expect(result.stderr.trim().split('\n')).toHaveLength(1)
  expect(result.stderr).toContain(message)
  expect(hasStackTrace(result.stderr + result.stdout)).toBe(false)
}

/** The test MongoDB, and one that does not answer (a free port), as a command's environment. */
export const mongo = () => ({ MONGO_URL: inject('mongoUrl') })
export const deadMongo = async () => ({ MONGO_URL: `mongodb://127.0.0.1:${await freePort()}` })
