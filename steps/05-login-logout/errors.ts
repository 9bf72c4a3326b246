// How the app answers when no route does, or when something goes wrong: always JSON, never
// Express's HTML pages.

// 🐨 6. Export two handlers for app.ts to add last, after every route, in this order:
//    - notFound: what no route answered (any path, any method) gets a JSON 404;
//    - jsonErrors, an error handler (Express tells one by its four parameters): an error after the
//      answer ended is only logged; an answer already started is left to Express; a client's
//      error (`expose`, a 4xx status, as body-parser sets them) gets its status and a sentence of
//      the app's own, never the error's message, which quotes the body; anything else is logged
//      and answered 500 with a plain sentence. (The lesson's "Errors as JSON".)
