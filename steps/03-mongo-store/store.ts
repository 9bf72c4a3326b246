// Where sessions live between requests and across restarts: MongoDB's `sessions` collection.

// 🐨 1. Export createSessionStore(mongoUrl: string), returning connect-mongo's store. The article's
//    `new MongoStore({ url })` is the v3 API, gone since v4: build it with connect-mongo's factory
//    (the lesson's "The article vs today" says how v6 is imported and what was renamed). The store
//    - keeps sessions in the MongoDB database that mongoUrl names,
//    - keeps a session 14 days, in seconds, when its cookie has no lifetime of its own,
//    - lets MongoDB delete expired sessions by itself, with the store's TTL index on `expires`.
