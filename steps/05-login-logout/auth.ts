// Logging in and out: a new session at login (against session fixation), who is logged in, and
// a logout that ends the session and its cookie.

// 🐨 2. Export authRouter(), an express.Router() that app.ts adds after the article's routes. Its
//    POST /login reads `username` from a JSON body or a form body (Express's two body parsers, on
//    this route only: no other route reads a body). Text of 1 to 64 characters, trimmed, or else
//    400 with a JSON { error } that says what to send: the name is stored in every session, so
//    its size is the app's to choose, never the client's.

// 🐨 3. Then a new session, against fixation (the lesson's "Then regenerate"): a new id, so an id
//    someone planted or saw before the login is thrown away, with its document. The new session
//    holds the user { uuid, name }, a random uuid and the trimmed name, and the answer is that user
//    as JSON, once it is stored. Errors go to Express's error handling. (session.ts: a user may now
//    hold a name.)

// 🐨 4. GET /me answers the logged-in user, or 401 with a JSON { error } when nobody is logged in.

// 🐨 5. POST /logout destroys the session, clears the cookie with the options it was set with
//    (clearSessionCookie, session.ts), and answers 204.
