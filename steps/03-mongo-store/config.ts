// Everything the server reads from its environment, read once and checked at start: a bad
// setting is one sentence before anything listens, not a crash or a surprise later.

export interface Config {
  /** Where the server listens. */
  port: number
  /** Signs the session cookies. */
  secret: string

  // 🐨 3. readConfig gives `mongoUrl` too: MONGO_URL, or the article's database,
  //    mongodb://127.0.0.1:27017/test-app, when it is unset or empty. `npm run step` sets MONGO_URL to
  //    the MongoDB it found.
}

/** The article's secret: fine on your machine, never anywhere real. */
export const developmentSecret = 'SECRET KEY'

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: readPort(env.PORT),
    // `||`, not `??`: an empty SESSION_SECRET= counts as unset, never as an empty secret.
    secret: env.SESSION_SECRET || developmentSecret,
  }
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
