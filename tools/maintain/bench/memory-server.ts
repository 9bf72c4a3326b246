// The finished step's server for the memory figure of `npm run bench`: started with its own
// start(env) in a process of its own (run with --expose-gc), it reports over IPC its heap after a
// full garbage collection, each time it is asked.
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

export type MemoryMessage = { type: 'ready'; port: number } | { type: 'heap'; bytes: number }
export type MemoryCommand = { type: 'heap' } | { type: 'stop' }

interface Started {
  port: number
  close(): Promise<void>
}

const dir = process.env.BENCH_STEP_DIR ?? ''
const { start } = (await import(pathToFileURL(join(dir, 'server.ts')).href)) as {
  start(env: NodeJS.ProcessEnv): Promise<Started>
}
const server = await start(process.env)
const gc = (globalThis as { gc?: () => void }).gc
if (!gc) throw new Error('run with --expose-gc')
const send = (message: MemoryMessage) => process.send?.(message)

process.on('message', async (command: MemoryCommand) => {
  if (command.type === 'heap') {
    gc()
    gc()
    send({ type: 'heap', bytes: process.memoryUsage().heapUsed })
  } else {
    await server.close()
    process.exit(0)
  }
})
send({ type: 'ready', port: server.port })
