// GET /visits counts the visitor's requests in the session: an ordinary request that changes the
// session, and so writes it, every time.

// 🐨 1. GET /visits counts the visitor's requests in the session (`visits`, nothing before the first)
//    and answers { visits: n } as JSON: an ordinary request that changes the session, and so
//    writes it, every time (the lesson's "GET /visits"). It lives in a router of its own,
//    `visitsRouter()`, that app.ts adds after the others, and `SessionData` learns the new field.
