// How the app answers when something goes wrong: always JSON, never Express's HTML error page.

// 🐨 6. Export the app's error handler (Express tells one by its four parameters), for app.ts to
//    add last. Its branches, in the order of the lesson's "Errors as JSON":
//    - an error that arrives after the answer has ended (express-session writes the session
//      after a route has answered; if that write fails, the client already has its answer): log
//      it, no more;
//    - an answer that has already started: only Express can end it, so leave it to Express;
//    - a client error (a 4xx status on the error, as body-parser sets it): that status, with
//      { error: message } as JSON;
//    - anything else: log it and answer 500 with a plain { error } sentence, never the stack.
