// How the app answers when something goes wrong: always JSON, never Express's HTML error page.
import type { ErrorRequestHandler } from 'express'

// 🐨 3. Export a second error handler, for MongoDB unreachable (down, hung, restarting): it answers
//    503 with a Retry-After header (5 seconds) and a JSON { error } sentence, instead of a 500.
//    "Unreachable" means the driver's MongoServerSelectionError and MongoNetworkError (its timeouts
//    are network errors too), its MongoDriverError named MongoWaitQueueTimeoutError (the driver
//    does not export that class: recognise it by its name), and raw socket errors by their code:
//    ECONNRESET, ECONNREFUSED, EPIPE, ETIMEDOUT. Every other error, and any error once the answer
//    has started, goes on to the next handler. Drop the request's session before answering 503:
//    express-session would write it again as the 503 ends, fail again, and that error would reach
//    Express mid-answer. In app.ts, add the handler just before the JSON one. The lesson's
//    "503, not 500" says how; `npm run hint 8` if stuck.

// Last: every error becomes a JSON answer. Express's own error page is HTML, with a stack trace
// outside production: a client of a JSON API cannot read it, and nobody should see the stack.
export const jsonErrors: ErrorRequestHandler = (error, _req, res, next) => {
  // express-session writes the session after a route has answered (a touch, a late save). When
  // that write fails the client already has its answer: log it, and leave the connection alone
  // (passing it on would make Express cut a connection the browser may use again).
  if (res.writableEnded) return void console.error(error)
  if (res.headersSent) return next(error) // half an answer: only Express can end it, by closing the connection
  // The client's mistake, e.g. body-parser's bad JSON (400), too large (413), unknown charset (415).
  const status = (error as { status?: unknown }).status
  if (typeof status === 'number' && status >= 400 && status < 500) {
    res.status(status).json({ error: (error as Error).message })
    return
  }
  console.error(error) // ours to fix: the log keeps the details, the client gets none
  res.status(500).json({ error: 'Something went wrong on our side.' })
}
