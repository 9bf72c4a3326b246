// Errors a learner can fix. They are printed as one sentence, never as a stack trace.
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
