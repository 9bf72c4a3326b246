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
    port: readWholeNumber(env, 'PORT', 4000, { min: 1, max: 65535 }),
    // `||`, not `??`: an empty SESSION_SECRET= counts as unset, never as an empty secret.
    secret: env.SESSION_SECRET || developmentSecret,
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
