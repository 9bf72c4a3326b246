// Talking to the learner's app as a browser would, with cookies, and never waiting for ever.
import { createHmac } from 'node:crypto'
import type { Express, RequestHandler } from 'express'
import type request from 'supertest'
import { CheckFailure, fail, note } from './check.js'
import { crashLine } from './error-line.js'
import { loggedSince } from './logged.js'
import { limit, measurePace, pace, remedy, slowness } from './pace.js'

export const cookieName = 'connect.sid'

/**
 * How long a request to the learner's app may take on a quiet machine with MongoDB close by, and
 * how many MongoDB round trips it may make: the limit grows with the machine's and MongoDB's pace.
 */
const answerBaseMs = 3000
const answerRoundTrips = 12

/**
 * Sends a supertest request and waits for its answer. `what` names it in the sentence ("GET
 * /me"); `baseMs` is its limit on a quiet machine. When the limit passes, the pace is measured
 * again: on a slow machine or with a far-away MongoDB the check waits longer, and an answer that
 * comes then passes with a note saying what was slow; a request that never answers is named.
 */
export async function answer(test: request.Test, what: string, baseMs = answerBaseMs): Promise<request.Response> {
  const began = Date.now()
  let settled: { response?: request.Response; error?: unknown } | undefined
  const sent = Promise.resolve(test).then(
    (response) => {
      settled = { response }
    },
    (error: unknown) => {
      settled = { error }
    },
  )
  const within = (ms: number) =>
    Promise.race([sent, new Promise((resolve) => setTimeout(resolve, Math.max(0, ms - (Date.now() - began))))])
  await within(limit(baseMs, answerRoundTrips))
  if (!settled) {
    // Late, or never? Measure again, and give a slow machine or MongoDB the time it needs.
    const now = await measurePace()
    if (slowness(now)) await within(3 * limit(baseMs, answerRoundTrips, now))
  }
  const took = ((Date.now() - began) / 1000).toFixed(1)
  if (!settled) {
    test.abort()
    const slow = slowness(pace())
    fail(
      `${what} got no answer within ${took} s: every route must answer (res.json, res.send, res.end) or pass its error to next(error)${slow ? ` (the run was slow too: ${slow})` : ''}.`,
    )
  }
  if (settled.error !== undefined) {
    const error = settled.error
    if (error instanceof CheckFailure) throw error
    fail(
      `${what} got no answer (${(error as Error).message}): every route must answer, or pass its error to next(error).`,
    )
  }
  if (Date.now() - began > limit(baseMs, answerRoundTrips) && slowness()) {
    note(`⏳ ${what} answered after ${took} s: ${slowness()}; ${remedy()} would make the checks faster.`)
  }
  const response = settled.response as request.Response
  const slip = response.status >= 500 ? programmingError(response, began) : undefined
  if (slip) fail(`${what} answered ${response.status}: the app threw ${slip}.`)
  return response
}

/**
 * A mistake in the learner's code behind a 500 (a name that is not defined, a call on undefined):
 * read off Express's own error page (its stack, outside production) or off what the app logged.
 * Errors the checks provoke on purpose (a store that fails) are not such mistakes.
 */
function programmingError(response: request.Response, since: number): string | undefined {
  const page = /<pre>([\s\S]*?)<\/pre>/.exec(response.text ?? '')?.[1]
  const fromPage = page
    ? Object.assign(new Error(), {
        name: /^(\w+Error)/.exec(page)?.[1] ?? 'Error',
        message: page.replace(/<br>[\s\S]*$/, '').replace(/^\w+Error: /, ''),
        stack: page.replace(/<br>/g, '\n').replace(/&nbsp;/g, ' '),
      })
    : undefined
  const error = [fromPage, ...loggedSince(since)].find(
    (candidate): candidate is Error =>
      candidate instanceof Error && /^(ReferenceError|TypeError|RangeError|SyntaxError)$/.test(candidate.name),
  )
  if (!error) return undefined
  const advice = /is not defined/.test(error.message) ? ': is an import missing, or a name misspelled?' : ''
  return `${crashLine(error)}${advice}`
}

/** The connect.sid line of a response's Set-Cookie headers, with its attributes. */
export function cookieLine(response: { headers: Record<string, unknown> }): string | undefined {
  const header = response.headers['set-cookie']
  const all = Array.isArray(header) ? (header as string[]) : typeof header === 'string' ? [header] : []
  return all.find((line) => line.startsWith(`${cookieName}=`))
}

/** "connect.sid=…" from a response, ready to send back as a Cookie header ('' when none was set). */
export function cookieOf(response: { headers: Record<string, unknown> }): string {
  return cookieLine(response)?.split(';')[0] ?? ''
}

/** The session id inside a signed connect.sid value ("s:<id>.<signature>"), or undefined. */
export function sessionIdOf(line: string | undefined): string | undefined {
  if (!line) return undefined
  const value = decodeURIComponent(line.split(';')[0]?.split('=').slice(1).join('=') ?? '')
  return /^s:([^.]+)\./.exec(value)?.[1]
}

/** The cookie's value, decoded ("s:<id>.<signature>"). */
export function cookieValue(line: string | undefined): string {
  return decodeURIComponent(line?.split(';')[0]?.slice(`${cookieName}=`.length) ?? '')
}

/** express-session's cookie signature (cookie-signature: HMAC-SHA256, base64 without padding). */
export function sign(value: string, key: string): string {
  return `${value}.${createHmac('sha256', key).update(value).digest('base64').replace(/=+$/, '')}`
}

/** A Cookie header for a session id signed with key. */
export function signedCookie(id: string, key: string): string {
  return `${cookieName}=${encodeURIComponent(`s:${sign(id, key)}`)}`
}

/** True when a Set-Cookie line clears the cookie (an expiry in the past). */
export function clears(line: string | undefined): boolean {
  const expires = /;\s*Expires=([^;]+)/i.exec(line ?? '')?.[1]
  return expires !== undefined && Date.parse(expires) < Date.now()
}

/** A cookie's attributes without its value and its lifetime: what must match to clear it. */
export function attributesOf(line: string | undefined): string[] {
  return (line ?? '')
    .split(';')
    .slice(1)
    .map((part) => part.trim().toLowerCase())
    .filter((part) => part && !part.startsWith('expires=') && !part.startsWith('max-age='))
    .sort()
}

/**
 * A route the checks add to the learner's app to see its session from the inside: it counts
 * visits in the session, so the session is modified and saved on every request.
 */
export const probePath = '/__check/session'
/** The same, but it only reads the session: an unchanged session, whose writes it reports. */
export const peekPath = '/__check/peek'

/** How many times each store was asked to write a whole session (set), counted by the probes. */
const sets = new WeakMap<object, { count: number }>()
function countSets(req: import('express').Request): { count: number } {
  const store = req.sessionStore as unknown as { set: (...args: unknown[]) => unknown } | undefined
  if (!store) return { count: 0 }
  let counter = sets.get(store)
  if (!counter) {
    const seen = { count: 0 }
    const set = store.set.bind(store)
    store.set = (...args: unknown[]) => {
      seen.count++
      return set(...args)
    }
    sets.set(store, seen)
    counter = seen
  }
  return counter
}

const probe: RequestHandler = (req, res) => {
  if (!req.session) {
    res.json({ id: null })
    return
  }
  const data = req.session as unknown as { checkVisits?: number }
  data.checkVisits = (data.checkVisits ?? 0) + 1
  res.json({ id: req.sessionID, visits: data.checkVisits, sets: countSets(req).count })
}

const peek: RequestHandler = (req, res) => {
  const visits = (req.session as unknown as { checkVisits?: number } | undefined)?.checkVisits
  res.json({ id: req.session ? req.sessionID : null, visits, sets: countSets(req).count })
}

/**
 * Adds the probe route to the learner's app, right after its session middleware (express-session's
 * function is named `session`), so that the app's own routes, 404 and error handling, which come
 * later, never hide it. Without a session middleware it goes last, and says it found no session.
 */
export function withProbe(app: Express): Express {
  app.get(probePath, probe)
  app.get(peekPath, peek)
  const stack = (app as unknown as { router: { stack: Array<{ handle?: { name?: string } }> } }).router.stack
  const probes = stack.splice(-2, 2)
  const after = stack.findIndex((layer) => layer.handle?.name === 'session')
  stack.splice(after === -1 ? stack.length : after + 1, 0, ...probes)
  return app
}

/** A name for a login, different each time. */
export const aName = () => `ada-${Math.random().toString(36).slice(2, 8)}`

/** True when a body looks like a stack trace or an HTML error page: what a client must never get. */
export function leaksInternals(text: string): boolean {
  return /<!DOCTYPE html>|<html|^\s+at .+:\d+:\d+\)?$/im.test(text) || text.includes(process.cwd())
}
