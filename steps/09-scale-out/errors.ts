// How the app answers when no route does, or when something goes wrong: always JSON, never
// Express's HTML pages.
import { STATUS_CODES } from 'node:http'
import type { ErrorRequestHandler, RequestHandler } from 'express'
import { MongoDriverError, MongoNetworkError, MongoServerSelectionError } from 'mongodb'

/** After every route: a request none of them answered, whatever its path or method. */
export const notFound: RequestHandler = (req, res) => {
  res.status(404).json({ error: `Nothing answers ${req.method} here.` })
}

// MongoDB unreachable (down, hung, restarting, cut off): 503 and a sentence instead of a 500.
// Nothing is cached: the next request asks MongoDB again, so the app recovers by itself.
export const databaseUnavailable: ErrorRequestHandler = (error, req, res, next) => {
  if (!isUnreachable(error) || res.headersSent) return next(error)
  // Drop this request's session: express-session would write it again as the 503 ends, fail
  // again, and that second error would reach Express after the answer started.
  delete (req as { session?: unknown }).session
  res
    .status(503)
    .set('Retry-After', '5')
    .json({ error: 'Sessions are unavailable: the database does not answer. Try again in a few seconds.' })
}

/** The driver's "no server" and network errors (timeouts included), and raw socket errors it lets through. */
function isUnreachable(error: unknown): boolean {
  if (error instanceof MongoServerSelectionError || error instanceof MongoNetworkError) return true

  // → task 3: a write a majority did not confirm in time is a 503 too

  // No free connection in time (waitQueueTimeoutMS): the driver does not export this class.
  if (error instanceof MongoDriverError && error.name === 'MongoWaitQueueTimeoutError') return true
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT'].includes(code)
}

/** What body-parser's refusals mean, said without repeating the body (their own messages quote it). */
const refusals: Record<string, string> = {
  'entity.parse.failed': 'The body could not be read: send valid JSON, or a form.',
  'entity.too.large': 'The body is too large.',
  'charset.unsupported': 'The body has a charset this app does not read: send UTF-8.',
  'encoding.unsupported': 'The body has a content encoding this app does not read.',
}

// Last of all: every error becomes a JSON answer. Express's own error page is HTML, with a stack
// trace outside production: a client of a JSON API cannot read it, and nobody should see the stack.
export const jsonErrors: ErrorRequestHandler = (error, _req, res, next) => {
  // express-session writes the session after a route has answered (a touch, a late save). When
  // that write fails the client already has its answer: log it, and leave the connection alone.
  if (res.writableEnded) return void console.error(error)
  if (res.headersSent) return next(error) // half an answer: only Express can end it, by closing the connection
  // An error meant for the client (`expose`, as http-errors and body-parser set it): its status.
  const { status, expose, type } = error as { status?: unknown; expose?: unknown; type?: unknown }
  if (expose === true && typeof status === 'number' && status >= 400 && status < 500) {
    res.status(status).json({ error: refusals[String(type)] ?? STATUS_CODES[status] ?? 'Bad request.' })
    return
  }
  console.error(error) // ours to fix: the log keeps the details, the client gets none
  res.status(500).json({ error: 'Something went wrong on our side.' })
}
