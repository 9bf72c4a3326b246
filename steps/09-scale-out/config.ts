// Everything the server reads from its environment, read once and checked at start: a bad
// setting is one sentence before anything listens, not a crash or a surprise later.

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
  /** Encrypts sessions in MongoDB when set; without it, MongoDB holds them as readable JSON. */
  encryptionKey: string | undefined
  /** How long to wait for MongoDB before a request gets a 503 (ms). */
  mongoTimeoutMs: number

  // 🐨 2. readConfig reads INSTANCE as `instance` (the machine's name when unset); since it goes into a
  //    header, anything but letters, digits, '.', '-' and '_' is refused in one sentence that names
  //    INSTANCE. It reads HOST as `host` (unset or empty: undefined). start() hands the name to
  //    createApp and prints it, and listens on the host when one is given, on every interface when
  //    not (the lesson's "Which instance answered").
}

/** The article's secret: fine on your machine, never anywhere real. */
export const developmentSecret = 'SECRET KEY'
/** Anyone who knows the secret can sign a cookie for any session id: a short one can be guessed. */
const minSecretLength = 32

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === 'production'
  // `||`, not `??`: an empty SESSION_SECRET= counts as unset, never as an empty secret.
  const secret = env.SESSION_SECRET || undefined
  // Rotation: move the current secret here (comma-separated) and set a new SESSION_SECRET.
  const oldSecrets = (env.SESSION_OLD_SECRETS ?? '')
    .split(',')
    .map((value) => value.trim())
    .filter(Boolean)
  const encryptionKey = env.SESSION_ENCRYPTION_KEY || undefined
  if (production) {
    requireStrong('SESSION_SECRET', secret)
    for (const old of oldSecrets) requireStrong('SESSION_OLD_SECRETS', old)
    if (encryptionKey !== undefined) requireStrong('SESSION_ENCRYPTION_KEY', encryptionKey)
  }
  return {
    port: readWholeNumber(env, 'PORT', 4000, { min: 1, max: 65535 }),
    secret: secret ?? developmentSecret,
    oldSecrets,
    mongoUrl: env.MONGO_URL || 'mongodb://127.0.0.1:27017/test-app', // the article's database
    production,
    trustProxy: readWholeNumber(env, 'TRUST_PROXY', 0),
    encryptionKey,
    // 0 would switch the driver's time limits off: at least 1 ms.
    mongoTimeoutMs: readWholeNumber(env, 'MONGO_TIMEOUT_MS', 1000, { min: 1 }),
  }
}

/** Production takes no secret that can be guessed: unset, the public default, or short. */
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

/**
 * A whole number from the environment. Unset or empty means the default (Number('') would be 0,
 * a port nobody asked for); anything else that is not a whole number within the bounds is refused
 * in a sentence that names the setting.
 */
export function readWholeNumber(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  { min = 0, max }: { min?: number; max?: number } = {},
): number {
  const value = env[name]
  if (value === undefined || value.trim() === '') return fallback
  const number = Number(value)
  if (!Number.isInteger(number) || number < min || (max !== undefined && number > max)) {
    const range = max === undefined ? `${min} up` : `${min} to ${max}`
    throw new Error(`${name} must be a whole number from ${range}, not "${value}".`)
  }
  return number
}
