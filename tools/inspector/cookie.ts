// The session cookie as the browser sends it. express-session signs its value with
// cookie-signature: "s:" + session id + "." + HMAC-SHA256 signature (base64, no padding), then
// URL-encodes it ("s%3A..."). The session id in the middle is the `_id` of the MongoDB document.

/** express-session's default cookie name, which every step of the workshop keeps. */
export const sessionCookieName = 'connect.sid'

export interface SessionCookie {
  name: string
  /** Exactly as it travels in the Cookie header ("s%3A…"). */
  raw: string
  /** URL-decoded: "s:<session id>.<signature>". */
  value: string
  /** The session id inside a signed value, or null when the value is not signed. */
  sessionId: string | null
  signature: string | null
}

/** Finds one cookie in a Cookie request header, or returns null. */
export function readSessionCookie(header: string | undefined, name = sessionCookieName): SessionCookie | null {
  for (const pair of (header ?? '').split(';')) {
    const separator = pair.indexOf('=')
    if (separator < 0 || pair.slice(0, separator).trim() !== name) continue
    const raw = pair.slice(separator + 1).trim()
    const value = safeDecode(raw)
    const signed = /^s:([^.]+)\.(.+)$/.exec(value)
    return { name, raw, value, sessionId: signed?.[1] ?? null, signature: signed?.[2] ?? null }
  }
  return null
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
