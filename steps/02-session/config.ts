// Everything the server reads from its environment, read once and checked at start: a bad
// setting is one sentence before anything listens, not a crash or a surprise later.

export interface Config {
  /** Where the server listens. */
  port: number

  // 🐨 3. readConfig gives `secret` too: SESSION_SECRET, or the article's 'SECRET KEY' when it is unset
  //    or EMPTY (SESSION_SECRET= on a command line is an empty string, not unset: the lesson's "An
  //    empty SESSION_SECRET counts as unset" says which fallback operator keeps it, and which not).
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return { port: readPort(env.PORT) }
}

function readPort(value: string | undefined): number {
  // Unset or empty: the default. Number('') would be 0, a random port nobody asked for.
  if (value === undefined || value.trim() === '') return 4000
  const port = Number(value)
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`PORT must be a whole number from 1 to 65535, not "${value}".`)
  }
  return port
}
