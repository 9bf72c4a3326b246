// How the app answers when something goes wrong: always JSON, never Express's HTML error page.

// 🐨 6. Export an error handler (an ErrorRequestHandler: four parameters) that
//    - leaves alone an error that arrives after the answer ended (res.writableEnded: express-session
//      writes the session after a route has answered; if that write fails, the client already has
//      its answer): log it and return;
//    - hands an answer that has started (res.headersSent) to next(error): only Express can end it;
//    - answers a client error (error.status from 400 to 499, as body-parser sets it) with that
//      status and { error: message };
//    - logs anything else and answers 500 with a plain { error } sentence, never the stack.
