// Where sessions live between requests and across restarts: the `sessions` collection.

// 🐨 1. Export createSessionStore(mongoUrl: string), returning connect-mongo's store. The article's
//    `new MongoStore({ url })` is the v3 API: since v4 it is the factory MongoStore.create({ … }),
//    with
//    - mongoUrl: where MongoDB is (v3 called it `url`),
//    - ttl: 14 days, in seconds: how long a session lives when its cookie has no lifetime of its own,
//    - autoRemove: 'native': an index on `expires` lets MongoDB delete expired sessions by itself.
//    Import it as a value: `import MongoStore from 'connect-mongo'`.
