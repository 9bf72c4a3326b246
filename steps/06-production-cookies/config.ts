// Everything the server reads from its environment, read once and checked at start: a bad
// setting is one sentence before anything listens, not a crash or a surprise later.

// 🐨 5. In production (NODE_ENV=production), refuse weak secrets, in one sentence naming the setting:
//    SESSION_SECRET unset (a value of only spaces counts as unset), the article's 'SECRET KEY', or
//    shorter than 32 characters; the same for each of SESSION_OLD_SECRETS (comma-separated: the
//    secrets being rotated out). Why: with the secret, whoever reads the sessions collection can
//    sign a cookie for any session, and a short one can be guessed offline from a single cookie.
//    readConfig also gives `oldSecrets` (a list of strings), `production` (a boolean) and
//    `trustProxy` from TRUST_PROXY: a whole number, 0 when unset; anything else is refused, naming
//    TRUST_PROXY, in every environment.

export interface Config {
  /** Where the server listens. */
  port: number
  /** Signs the session cookies. */
  secret: string
  /** Where MongoDB is, with the database to keep sessions in. */
  mongoUrl: string
}

/** The article's secret: fine on your machine, never anywhere real. */
export const developmentSecret = 'SECRET KEY'

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: readPort(env.PORT),
    // `||`, not `??`: an empty SESSION_SECRET= counts as unset, never as an empty secret.
    secret: env.SESSION_SECRET || developmentSecret,
    // The article's database; `npm run step` sets MONGO_URL to the MongoDB it found.
    mongoUrl: env.MONGO_URL || 'mongodb://127.0.0.1:27017/test-app',
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
