// The article's two routes: GET / puts a user in the session without any login, GET /end ends
// the session. They show what a session does; they are not a way to log in.

// 🐨 2. Export articleRouter(), an express.Router() with the article's GET /: the session gets a
//    user, { uuid: '12234-2345-2323423' }, and the answer is that user, sent only once the store
//    really has it. When that write fails, hand the error to Express, which answers at once: the
//    article only logged it, and the visitor waited until the browser gave up.

// 🐨 3. GET /end ends the session and answers 'Session is destroyed'. Ending it has two halves: its
//    document leaves MongoDB, and the browser is told to drop its connect.sid cookie, which it does
//    only when name and path match those the cookie was set with. session.ts exports both:
//    cookieName, and clearSessionCookie(res). A failed end goes to Express as well.
