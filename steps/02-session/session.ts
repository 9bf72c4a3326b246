// Sessions: express-session's middleware, set up in one place.

// 🐨 2. Export sessions({ secret }), which returns express-session's middleware, set up once here:
//    - the cookie is signed with the secret it is given,
//    - a session that did not change during a request is not written back to the store,
//    - as in the article, every visitor gets a session at once, even one nothing was stored in
//      (step 05 says why that is a bad idea).
//    Leave the cookie's name and options at their defaults. (The lesson's "What the options mean".)
