// Everything the server reads from its environment, read once and checked at start: a bad
// setting is one sentence before anything listens, not a crash or a surprise later.

export interface Config {
  /** Where the server listens. */
  port: number

  // 🐨 4. readConfig gives `secret` too: SESSION_SECRET, or the article's 'SECRET KEY' when it is unset
  //    or EMPTY (SESSION_SECRET= on a command line is an empty string, not unset: the lesson's "An
  //    empty SESSION_SECRET counts as unset" says which fallback operator keeps it, and which not).
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return { port: readWholeNumber(env, 'PORT', 4000, { min: 1, max: 65535 }) }
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
