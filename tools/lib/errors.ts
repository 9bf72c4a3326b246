// Errors a learner can fix. They are printed as one sentence, never as a stack trace.
import { parseArgs } from 'node:util'

export class UserError extends Error {
  override name = 'UserError'
}

/** Runs a command's main function: a UserError becomes one 🚨 line and exit code 1. */
export function runMain(main: () => Promise<number | undefined>): void {
  main().then(
    (code) => {
      if (typeof code === 'number') process.exitCode = code
    },
    (error: unknown) => {
      if (error instanceof UserError) {
        console.error(`🚨 ${error.message}`)
      } else {
        const message = error instanceof Error ? error.message : String(error)
        console.error(`🚨 Unexpected error: ${message}. Run it again with DEBUG=1 to see where it came from.`)
        if (process.env.DEBUG) console.error(error)
      }
      process.exit(1)
    },
  )
}

/** For a command that takes no options nor arguments: anything given is refused in one sentence. */
export function noOptions(command: string, instead: string): void {
  try {
    parseArgs({ options: {}, allowPositionals: false })
  } catch (error) {
    throw new UserError(`${(error as Error).message}: \`${command}\` takes no options; ${instead}.`)
  }
}
