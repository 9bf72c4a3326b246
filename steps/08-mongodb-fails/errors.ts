// How the app answers when something goes wrong: always JSON, never Express's HTML error page.
import type { ErrorRequestHandler } from 'express'

// 🐨 3. Export a second handler, for MongoDB unreachable (down, hung, restarting): the driver's
//    MongoServerSelectionError and MongoNetworkError (timeouts are network errors too), its
//    MongoDriverError named 'MongoWaitQueueTimeoutError' (not exported: check the name), and raw
//    socket errors (code ECONNRESET, ECONNREFUSED, EPIPE, ETIMEDOUT). It answers 503, with
//    Retry-After and a JSON { error }, unless the answer has started (then next(error)). Before
//    answering, drop this request's session (delete req.session): express-session would write it
//    again as the 503 ends, fail again, and that error would reach Express mid-answer.
//    Other errors go on to the JSON handler. app.use() it in app.ts just before the JSON handler.

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
