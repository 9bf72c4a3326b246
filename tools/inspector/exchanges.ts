// What the inspector's proxy saw of each request it passed to the app, for the page's request log:
// method, path, status, how long the answer took, and the headers a session travels in. The
// session cookie is HttpOnly and Set-Cookie is hidden from page scripts, so only the proxy can tell.
import type { IncomingHttpHeaders } from 'node:http'
import { readSessionCookie, sessionCookieName } from './cookie.js'

export interface Exchange {
  /** 1 for the first request through the proxy, then counting up. */
  seq: number
  /** When the request arrived (ms since 1970). */
  at: number
  method: string
  path: string
  /** null while the request waits for its answer. */
  status: number | null
  statusText: string
  /** From the request's arrival to the answer's last byte; null while it waits. */
  ms: number | null
  /** `connect.sid=…` as the request carried it, or null: the only cookie shown. */
  cookieSent: string | null
  /** How many other cookies the request carried (other programs on localhost set them; never shown). */
  otherCookies: number
  setCookie: string[]
  /** The app's X-Instance header: which instance answered. */
  instance: string | null
  retryAfter: string | null
  /** The answer's first characters. */
  body: string
  /** Why the proxy got no answer, or null. */
  error: string | null
}

/** How much of an answer the log keeps: enough for a JSON user or an error sentence. */
const bodyLimit = 400

export class ExchangeLog {
  private entries: Exchange[] = []
  private seq = 0

  constructor(private readonly size = 20) {}

  /** The newest first. */
  list(limit = this.size): Exchange[] {
    return this.entries.slice(0, limit).map((entry) => ({ ...entry, setCookie: [...entry.setCookie] }))
  }

  /** Records a request as it arrives; the returned handle completes it. */
  begin(method: string, path: string, headers: IncomingHttpHeaders): ExchangeHandle {
    const session = readSessionCookie(headers.cookie)
    const all = (headers.cookie ?? '').split(';').filter((pair) => pair.trim() !== '')
    const entry: Exchange = {
      seq: ++this.seq,
      at: Date.now(),
      method,
      path,
      status: null,
      statusText: '',
      ms: null,
      cookieSent: session ? `${sessionCookieName}=${session.raw}` : null,
      otherCookies: all.length - (session ? 1 : 0),
      setCookie: [],
      instance: null,
      retryAfter: null,
      body: '',
      error: null,
    }
    this.entries = [entry, ...this.entries].slice(0, this.size)
    const began = performance.now()
    const chunks: Buffer[] = []
    let kept = 0
    return {
      answered: (status, statusText, answer) => {
        entry.status = status
        entry.statusText = statusText
        entry.setCookie = asList(answer['set-cookie'])
        entry.instance = asList(answer['x-instance'])[0] ?? null
        entry.retryAfter = asList(answer['retry-after'])[0] ?? null
      },
      data: (chunk) => {
        if (kept >= bodyLimit) return
        chunks.push(chunk)
        kept += chunk.length
      },
      done: (error) => {
        if (entry.ms !== null) return // the first of end, error and close tells
        entry.ms = Math.round(performance.now() - began)
        entry.body = Buffer.concat(chunks).subarray(0, bodyLimit).toString('utf8')
        if (error) entry.error = error
      },
    }
  }
}

export interface ExchangeHandle {
  answered(status: number, statusText: string, headers: IncomingHttpHeaders): void
  data(chunk: Buffer): void
  /** The answer is over (or failed with error); only the first call counts. */
  done(error?: string): void
}

function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return []
  return Array.isArray(value) ? value : [value]
}
