// Everything the server reads from its environment, read once and checked at start: a bad
// setting is one sentence before anything listens, not a crash or a surprise later.

// → task 3: readConfig gives `encryptionKey`: SESSION_ENCRYPTION_KEY, undefined when unset or empty
//    (only spaces counts as unset). In production, a key that is set is held to the rules of the
//    secrets, and refused in one sentence naming SESSION_ENCRYPTION_KEY: a guessable key encrypts
//    nothing.

export interface Config {
  /** Where the server listens. */
  port: number
  /** Signs new session cookies. */
  secret: string
  /** Earlier secrets: cookies they signed still verify (rotation). */
  oldSecrets: string[]
  /** Where MongoDB is, with the database to keep sessions in. */
  mongoUrl: string
  /** NODE_ENV=production: no default secret, no article routes. */
  production: boolean
  /** How many proxies (HTTPS load balancers) sit in front of the app. */
  trustProxy: number
}

/** The article's secret: fine on your machine, never anywhere real. */
export const developmentSecret = 'SECRET KEY'
/** Anyone who knows the secret can sign a cookie for any session id: too short is guessable. */
const minSecretLength = 32

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === 'production'
  // A value of only spaces counts as unset, like an empty one.
  const given = env.SESSION_SECRET?.trim() ? env.SESSION_SECRET : undefined
  // Rotation: move the current secret here (comma-separated) and set a new SESSION_SECRET.
  const oldSecrets = (env.SESSION_OLD_SECRETS ?? '')
    .split(',')
    .map((value) => value.trim())
    .filter(Boolean)
  if (production) {
    requireStrong('SESSION_SECRET', given)
    for (const old of oldSecrets) requireStrong('SESSION_OLD_SECRETS', old)
  }
  return {
    port: readPort(env.PORT),
    secret: given ?? developmentSecret,
    oldSecrets,
    // The article's database; `npm run step` sets MONGO_URL to the MongoDB it found.
    mongoUrl: env.MONGO_URL || 'mongodb://127.0.0.1:27017/test-app',
    production,
    trustProxy: readWholeNumber('TRUST_PROXY', env.TRUST_PROXY, 0),
  }
}

function requireStrong(name: string, value: string | undefined): void {
  const fix = 'set it to a long random string, e.g. the output of `openssl rand -base64 32`'
  if (value === undefined) throw new Error(`NODE_ENV is production but ${name} is not set: ${fix}.`)
  if (value === developmentSecret) throw new Error(`NODE_ENV is production but ${name} is the public default: ${fix}.`)
  if (value.length < minSecretLength) {
    throw new Error(
      `NODE_ENV is production but ${name} has only ${value.length} characters (at least ${minSecretLength}): ${fix}.`,
    )
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

function readWholeNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback
  const number = Number(value)
  if (!Number.isInteger(number) || number < 0) {
    throw new Error(`${name} must be a whole number (0, 1, 2…), not "${value}".`)
  }
  return number
}
