// The mistakes learners make, step by step: each is made in a copy of the step's solution, and the
// check that must catch it has to fail with a first 🚨 that names the mistake and its cause. This
// proves the checks, as the starters prove the steps (test/workshop/two-way.test.ts runs them all).
// A mistake is anchored in the code, never in comments: a short piece of code of the solution's
// file, found exactly once, and what the mistake makes of it.

export interface Edit {
  /** The solution's file. */
  file: string
  /** A piece of its code (text, or a pattern), found exactly once. */
  find: string | RegExp
  /** What the mistake puts in its place. */
  replace: string
}

export interface Mistake {
  /** The step's slug (steps.json). */
  step: string
  /** What the learner did, in a few words. */
  mistake: string
  edits: Edit[]
  /** The check that must catch it, by slug (default: the step's own). */
  check?: string
  /** The first 🚨 sentence of that check must match this. */
  says: RegExp
}

const edit = (file: string, find: string | RegExp, replace: string): Edit => ({ file, find, replace })

export const mistakes: Mistake[] = [
  // A bare Express server
  {
    step: 'bare-express',
    mistake: 'forgot the health route',
    edits: [edit('app.ts', /app\.get\('\/health'[\s\S]*?\n {2}\}\)\n/, '')],
    says: /GET \/health answered 404/,
  },
  {
    step: 'bare-express',
    mistake: 'an empty PORT is not treated as unset',
    edits: [edit('config.ts', "value === undefined || value.trim() === ''", 'value === undefined')],
    says: /readConfig\(\{ PORT: '' \}\) should give port 4000: an empty PORT counts as unset/,
  },
  {
    step: 'bare-express',
    mistake: "ignored the listen callback's error",
    edits: [edit('server.ts', 'if (error) return reject(cannotListen(port, error))', '')],
    says: /start\(env\) resolved although port \d+ is taken: reject when app\.listen\(\) passes an error/,
  },
  {
    step: 'bare-express',
    mistake: 'handled SIGTERM but not SIGINT',
    edits: [edit('server.ts', "['SIGINT', 'SIGTERM'] as const", "['SIGTERM'] as const")],
    says: /on SIGINT \(Ctrl\+C\), server\.ts was killed by SIGINT instead of closing the server/,
  },
  {
    step: 'bare-express',
    mistake: 'a crash at import',
    edits: [
      edit('app.ts', 'export function createApp', "const limits = JSON.parse('{not json')\nexport function createApp"),
    ],
    says: /app\.ts crashed while loading: SyntaxError: .*\(.*app\.ts:\d+:\d+\)/,
  },
  {
    step: 'bare-express',
    mistake: 'the port written into the code',
    edits: [edit('server.ts', 'const { port } = readConfig(env)', 'const port = 4000')],
    // Which sentence depends on whether port 4000 is free at the time.
    says: /start\(env\) (resolved with|in \S+ tried) port 4000\b.*: it should listen on PORT/,
  },
  {
    step: 'bare-express',
    mistake: 'server.ts listens when it is only imported',
    edits: [
      edit(
        'server.ts',
        /if \(process\.argv\[1\] && realpathSync\(process\.argv\[1\]\) === import\.meta\.filename\)/,
        'if (true)',
      ),
    ],
    says: /server\.ts started listening when it was only imported: start the server only when the file is run directly/,
  },
  {
    step: 'bare-express',
    mistake: 'a close() that leaves a timer behind',
    edits: [
      edit('server.ts', 'console.log(`App listening', 'setInterval(() => {}, 1000)\n  console.log(`App listening'),
    ],
    says: /server\.ts kept running \d+ s after its last request: a timer is still scheduled/,
  },

  // A session for every visitor
  {
    step: 'session',
    mistake: "the article's session(secret: …) without its braces",
    edits: [edit('session.ts', 'return session({', 'return session(')],
    says: /crashed while loading: .*session\.ts:\d+:\d+/,
  },
  {
    step: 'session',
    mistake: 'forgot the session middleware',
    edits: [edit('app.ts', 'app.use(sessions({ secret }))', '')],
    says: /req\.session is missing: sessions\(\) in .*session\.ts should return express-session's middleware, and createApp\(\) add it/,
  },
  {
    step: 'session',
    mistake: '?? keeps an empty SESSION_SECRET',
    edits: [edit('config.ts', 'env.SESSION_SECRET || developmentSecret', 'env.SESSION_SECRET ?? developmentSecret')],
    says: /with SESSION_SECRET empty, the secret should be 'SECRET KEY'.*\?\? keeps an empty string where \|\| does not/,
  },
  {
    step: 'session',
    mistake: 'server.ts does not pass the secret on',
    edits: [edit('server.ts', 'createApp({ secret })', "createApp({ secret: '' })")],
    says: /a request to the server start\(env\) started answered 500: hand the secret readConfig\(\) read to createApp\(\)/,
  },
  {
    step: 'session',
    mistake: 'named the cookie sid',
    edits: [edit('session.ts', 'secret, // signs', "name: 'sid',\n    secret, // signs")],
    says: /the session cookie is named sid, not connect\.sid: leave express-session's `name` option at its default/,
  },
  {
    step: 'session',
    mistake: 'resave: true',
    edits: [edit('session.ts', 'resave: false', 'resave: true')],
    says: /two requests that only read the session wrote it back 2 more times: express-session's resave should be off/,
  },
  {
    step: 'session',
    mistake: 'the session middleware before the health route',
    edits: [
      edit('app.ts', 'app.use(sessions({ secret }))', ''),
      edit('app.ts', 'const app = express()', 'const app = express()\n  app.use(sessions({ secret }))'),
    ],
    says: /GET \/health got a connect\.sid cookie: add the session middleware after the health route/,
  },

  // Keep sessions in MongoDB
  {
    step: 'mongo-store',
    mistake: 'built the store but never gave it to express-session',
    edits: [edit('session.ts', /\n\s+store, \/\/ MongoDB instead/, '\n    // MongoDB instead')],
    says: /after one visit, "sessions" holds 0 documents, not 1: sessions\(\) should hand the store to express-session/,
  },
  {
    step: 'mongo-store',
    mistake: "the article's v3 API: MongoStore called without new",
    edits: [
      edit(
        'store.ts',
        'return MongoStore.create({',
        'return (MongoStore as unknown as (options: object) => MongoStore)({',
      ),
    ],
    says: /createSessionStore\(\) in .*store\.ts threw: TypeError: Class constructor MongoStore cannot be invoked without 'new'/,
  },
  {
    step: 'mongo-store',
    mistake: 'ttl in milliseconds',
    edits: [edit('store.ts', 'ttl: 14 * 24 * 60 * 60,', 'ttl: 14 * 24 * 60 * 60 * 1000,')],
    says: /a session without a cookie lifetime should expire 14 days from now; it expires \d+ s later: connect-mongo's ttl is in seconds/,
  },
  {
    step: 'mongo-store',
    mistake: 'close() forgets the store',
    edits: [edit('server.ts', /\n\s+await store\.close\(\) \/\/ after the server[^\n]*/, '')],
    says: /after close\(\), \d+ connections to MongoDB stayed open: close\(\) should close the store too/,
  },
  {
    step: 'mongo-store',
    mistake: 'close() closes the store before the server',
    edits: [
      edit(
        'server.ts',
        /await new Promise\(\(resolve\) => server\.close\(resolve\)\)\n(\s+)await store\.close\(\)[^\n]*/,
        'await store.close()\n$1await new Promise((resolve) => server.close(resolve))',
      ),
    ],
    says: /a request still under way when close\(\) was called got a 5\d\d: close\(\) closed the store while the server was still answering/,
  },
  {
    step: 'mongo-store',
    mistake: '?? keeps an empty MONGO_URL',
    edits: [edit('config.ts', 'env.MONGO_URL ||', 'env.MONGO_URL ??')],
    says: /with MONGO_URL empty \(MONGO_URL= on a command line\), mongoUrl should be the article's/,
  },
  {
    step: 'mongo-store',
    mistake: 'a collection of another name',
    edits: [
      edit('store.ts', 'mongoUrl, // the database', "collectionName: 'userSessions',\n    mongoUrl, // the database"),
    ],
    says: /the sessions went to the collection "userSessions", not "sessions": leave connect-mongo's collectionName at its default/,
  },
  {
    step: 'mongo-store',
    mistake: 'listens before the store works',
    edits: [edit('server.ts', /\n\s+await store\.collectionP/, '')],
    says: /when start\(env\) resolved, MONGO_URL's database had no store yet/,
  },
  {
    step: 'mongo-store',
    mistake: 'the MongoDB URL written into server.ts',
    edits: [
      edit('server.ts', 'createSessionStore(mongoUrl)', "createSessionStore('mongodb://127.0.0.1:27017/test-app')"),
    ],
    says: /when start\(env\) resolved, MONGO_URL's database had no store yet: build the store from MONGO_URL/,
  },

  // Set a user, end the session
  {
    step: 'routes',
    mistake: 'only logged a failed save, as the article does',
    edits: [
      edit(
        'article.ts',
        'if (error) return next(error)\n      res.send',
        'if (error) return void console.error(error)\n      res.send',
      ),
    ],
    says: /GET \/ never answered when the save failed: pass save's error to next\(error\)/,
  },
  {
    step: 'routes',
    mistake: 'destroyed the session but left the cookie',
    edits: [edit('article.ts', /\n\s+clearSessionCookie\(res\)[^\n]*/, '')],
    says: /the browser still holds connect\.sid: destroy\(\) removes the document only; clear the cookie too/,
  },
  {
    step: 'routes',
    mistake: 'did not tell TypeScript what a session holds',
    edits: [edit('session.ts', /declare module 'express-session' \{[\s\S]*?\n\}\n/, '')],
    says: /article\.ts:\d+:\d+ does not type-check: Property 'user' does not exist .*SessionData interface/,
  },
  {
    step: 'routes',
    mistake: 'wrote the router but never added it',
    edits: [edit('app.ts', 'app.use(articleRouter())', '')],
    says: /GET \/ answered 404, though articleRouter\(\) has the route: add the router to the app \(app\.use\)/,
  },
  {
    step: 'routes',
    mistake: 'cleared the cookie with another path',
    edits: [
      edit('session.ts', "res.clearCookie(cookieName, { path: '/' })", "res.clearCookie(cookieName, { path: '/end' })"),
    ],
    says: /GET \/end cleared the cookie with Path=\/end, but it was set with Path=\//,
  },
  {
    step: 'routes',
    mistake: 'answered before the save',
    edits: [
      edit(
        'article.ts',
        /req\.session\.save\(\(error\) => \{\n\s+if \(error\) return next\(error\)\n\s+res\.send\(req\.session\.user\)\n\s+\}\)/,
        'res.send(req.session.user)',
      ),
    ],
    says: /a failed save answered 200: pass save's error to next\(error\)/,
  },

  // Log in and log out
  {
    step: 'login-logout',
    mistake: 'kept saveUninitialized: true',
    edits: [edit('session.ts', 'saveUninitialized: false', 'saveUninitialized: true')],
    says: /a visitor who stored nothing got a connect\.sid cookie: turn express-session's saveUninitialized off/,
  },
  {
    step: 'login-logout',
    mistake: 'stored the user without regenerating the session',
    edits: [
      edit(
        'auth.ts',
        'req.session.regenerate((error) => {',
        '((callback: (error?: Error) => void) => callback())((error) => {',
      ),
    ],
    says: /POST \/login should set a new connect\.sid cookie: regenerate the session/,
  },
  {
    step: 'login-logout',
    mistake: 'no limit on the username',
    edits: [edit('auth.ts', "name !== '' && name.length <= maxNameLength", "name !== ''")],
    says: /POST \/login with a username of 65 characters answered 200, not 400/,
  },
  {
    step: 'login-logout',
    mistake: 'no JSON error handler: Express answers its HTML page',
    edits: [edit('app.ts', 'app.use(jsonErrors)', '')],
    says: /POST \/login with bad JSON answered text\/html: answer every error as JSON/,
  },
  {
    step: 'login-logout',
    mistake: 'an error handler with three parameters',
    edits: [
      edit(
        'errors.ts',
        'export const jsonErrors: ErrorRequestHandler = (error, _req, res, next) =>',
        'export const jsonErrors: ErrorRequestHandler = (error, _req, res) =>',
      ),
      edit('errors.ts', 'if (res.headersSent) return next(error)', 'if (res.headersSent) return'),
    ],
    says: /jsonErrors in .*errors\.ts takes three parameters, so Express treats it as an ordinary middleware/,
  },
  {
    step: 'login-logout',
    mistake: 'went on after answering 400',
    edits: [edit('auth.ts', /(res\.status\(400\)\.json\([^\n]*\n)\s+return\n/, '$1')],
    says: /a refused login stored a user: right after answering 400, leave the handler \(return\)/,
  },
  {
    step: 'login-logout',
    mistake: 'no JSON 404',
    edits: [edit('app.ts', 'app.use(notFound)', '')],
    says: /GET \/no-such-page answered 404 text\/html, not a JSON 404/,
  },
  {
    step: 'login-logout',
    mistake: 'body parsers for the whole app',
    edits: [edit('app.ts', 'app.use(sessions(', 'app.use(express.json())\n  app.use(sessions(')],
    says: /POST \/logout with a body nobody reads answered 400: a body parser for the whole app/,
  },
  {
    step: 'login-logout',
    mistake: 'a crash at import: a name that is not imported',
    edits: [edit('auth.ts', "import { randomUUID } from 'node:crypto'\n", '')],
    says: /does not type-check: Cannot find name 'randomUUID'\. To fix it, is an import missing\?|randomUUID is not defined/,
  },

  // Production cookies and secrets
  {
    step: 'production-cookies',
    mistake: 'never told Express to trust the proxy',
    edits: [edit('app.ts', "app.set('trust proxy', trustProxy)", '')],
    says: /a login that came over HTTPS through the proxy \(X-Forwarded-Proto: https\) should get a Secure cookie: Express must trust the proxy/,
  },
  {
    step: 'production-cookies',
    mistake: "secure: true instead of 'auto'",
    edits: [edit('session.ts', "secure: 'auto' as const", 'secure: true')],
    says: /a login over plain HTTP got no cookie at all: with secure: true, express-session sends none over HTTP/,
  },
  {
    step: 'production-cookies',
    mistake: 'relied on the sliding expiry alone',
    edits: [edit('app.ts', 'app.use(endExpiredLogins(maxAge))', '')],
    says: /a login from two hours ago, with maxAge one hour, still answered 200: the document's expiry slides/,
  },
  {
    step: 'production-cookies',
    mistake: 'production accepts the default secret',
    edits: [edit('config.ts', "requireStrong('SESSION_SECRET', secret)", '')],
    says: /with NODE_ENV=production and no SESSION_SECRET, readConfig\(env\) should throw/,
  },
  {
    step: 'production-cookies',
    mistake: "the article's routes left on in production",
    edits: [edit('server.ts', 'articleRoutes: !production', 'articleRoutes: true')],
    says: /in production, GET \/ answered 200: the article's test routes .* stay out of production/,
  },
  {
    step: 'production-cookies',
    mistake: "cleared the cookie with the session's own options (secure: 'auto')",
    edits: [edit('session.ts', '{ ...cookie, secure: req.secure }', 'cookie')],
    says: /the logout cleared the cookie with Secure, but it was set without it: res\.clearCookie\(\) makes any truthy secure/,
    check: 'login-logout',
  },
  {
    step: 'production-cookies',
    mistake: 'maxAge in seconds',
    edits: [edit('app.ts', 'const fourteenDays = 14 * 24 * 60 * 60 * 1000', 'const fourteenDays = 14 * 24 * 60 * 60')],
    says: /without maxAge, a login's cookie expires in 0\.01 days, not 14: maxAge is in milliseconds/,
  },
  {
    step: 'production-cookies',
    mistake: "the article's routes on by default",
    edits: [edit('app.ts', 'articleRoutes = false,', 'articleRoutes = true,')],
    says: /createApp\(\) without articleRoutes answered GET \/: the article's routes .* should be off unless/,
  },

  // A store that costs little and leaks nothing
  {
    step: 'store-costs',
    mistake: 'forgot touchAfter',
    edits: [edit('store.ts', /\n\s+touchAfter: 24 \* 60 \* 60,[^\n]*/, '')],
    says: /5 reads of an unchanged session moved its expires date 5 times, a write each: give connect-mongo a touchAfter/,
  },
  {
    step: 'store-costs',
    mistake: 'the encryption secret is ignored',
    edits: [
      edit(
        'store.ts',
        'encryptionSecret ? createWebCryptoAdapter({ secret: encryptionSecret }) : undefined',
        'undefined',
      ),
    ],
    says: /MongoDB holds the session readable after a login: with an encryptionSecret, give connect-mongo a crypto adapter/,
  },
  {
    step: 'store-costs',
    mistake: "the store's own update writes the session in clear",
    edits: [edit('store.ts', 'session: this.crypto ? await this.crypto.encrypt(json) : json,', 'session: json,')],
    says: /MongoDB holds the session readable once GET \/visits changed it, though not after the login: the store's own update/,
  },
  {
    step: 'store-costs',
    mistake: 'a save of a session from MongoDB is still an upsert',
    edits: [
      edit('store.ts', 'else this.update(sid, session).then(() => done(), done)', 'else super.set(sid, session, done)'),
    ],
    says: /a request that saved the session just after the logout brought it back \(connect-mongo saves with an upsert\)/,
  },
  {
    step: 'store-costs',
    mistake: 'built the store with MongoStore.create()',
    edits: [
      edit(
        'store.ts',
        /return new FinalLogoutStore\(\n(\s+\{[\s\S]*?\n\s+\}),\n\s+crypto,\n\s+\)/,
        'return FinalLogoutStore.create(\n$1,\n  )',
      ),
    ],
    says: /the store is connect-mongo's own MongoStore, not your FinalLogoutStore: MongoStore\.create\(\) builds a MongoStore/,
  },
  {
    step: 'store-costs',
    mistake: 'a login saved twice',
    edits: [edit('store.ts', 'if (held === content) return void setImmediate(callback)', '')],
    says: /a login wrote its session 2 times/,
  },
  {
    step: 'store-costs',
    mistake: 'production accepts a weak encryption key',
    edits: [
      edit('config.ts', "if (encryptionKey !== undefined) requireStrong('SESSION_ENCRYPTION_KEY', encryptionKey)", ''),
    ],
    says: /with NODE_ENV=production and a SESSION_ENCRYPTION_KEY of 5 characters, readConfig\(env\) should throw/,
  },
  {
    step: 'store-costs',
    mistake: 'anonymous sessions kept as long as a login',
    edits: [edit('session.ts', 'Math.min(anonymousMaxAge, maxAge)', 'maxAge')],
    says: /an anonymous visitor's session expires in 336 hours, not within hours/,
  },
  {
    step: 'store-costs',
    mistake: 'the anonymous lifetime in seconds',
    edits: [edit('session.ts', 'const anonymousMaxAge = 2 * 60 * 60 * 1000', 'const anonymousMaxAge = 2 * 60 * 60')],
    says: /an anonymous visitor's session expires in \d+ s, not hours: its cookie's maxAge is in milliseconds/,
  },
  {
    step: 'store-costs',
    mistake: 'a login not lengthened',
    edits: [edit('auth.ts', /\n\s+req\.session\.cookie\.maxAge = maxAge[^\n]*/, '')],
    says: /a login's session expires in 0\.1 days, not maxAge's 14: lengthen it at login/,
  },

  // When MongoDB fails
  {
    step: 'mongodb-fails',
    mistake: 'no time limit on answers (socketTimeoutMS)',
    edits: [edit('store.ts', /\n\s+socketTimeoutMS: timeoutMs,[^\n]*/, '')],
    says: /socketTimeoutMS is unset \(0: no limit\): a database that hangs after taking a request holds it for ever/,
  },
  {
    step: 'mongodb-fails',
    mistake: 'no 503 handler: a MongoDB outage is a 500',
    edits: [edit('app.ts', 'app.use(databaseUnavailable)', '')],
    says: /during the outage, GET \/me answered 500 after \d+ ms: an error handler should answer 503/,
  },
  {
    step: 'mongodb-fails',
    mistake: 'the 503 handler after the JSON one',
    edits: [
      edit('app.ts', 'app.use(databaseUnavailable)\n', ''),
      edit('app.ts', 'app.use(jsonErrors)', 'app.use(jsonErrors)\n  app.use(databaseUnavailable)'),
    ],
    says: /during the outage, GET \/me answered 500 after \d+ ms: an error handler should answer 503/,
  },
  {
    step: 'mongodb-fails',
    mistake: 'kept the session on the 503',
    edits: [edit('errors.ts', 'delete (req as { session?: unknown }).session', '')],
    says: /after its 503, the app tried to save the session again/,
  },
  {
    step: 'mongodb-fails',
    mistake: 'created the client outside the try',
    edits: [
      edit(
        'server.ts',
        '  let client: MongoClient\n  try {\n    client = createMongoClient(mongoUrl, mongoTimeoutMs)\n',
        '  const client = createMongoClient(mongoUrl, mongoTimeoutMs)\n  try {\n',
      ),
    ],
    says: /with MONGO_URL=garbage, start\(env\) rejected with ".*": name MONGO_URL and what to do/,
  },
  {
    step: 'mongodb-fails',
    mistake: 'a module that never finishes loading',
    edits: [
      edit(
        'errors.ts',
        "import { STATUS_CODES } from 'node:http'\n",
        "import { STATUS_CODES } from 'node:http'\n\nawait new Promise(() => {})\n",
      ),
    ],
    says: /(app|errors)\.ts did not finish loading within \d+ s: something at its top level waits for ever/,
  },
  {
    step: 'mongodb-fails',
    mistake: 'MONGO_TIMEOUT_MS read but not used',
    edits: [edit('server.ts', 'createMongoClient(mongoUrl, mongoTimeoutMs)', 'createMongoClient(mongoUrl)')],
    says: /with MONGO_TIMEOUT_MS=2000, start\(env\) gave its MongoClient 1000 ms to find MongoDB: create the client with the time limit/,
  },
  {
    step: 'mongodb-fails',
    mistake: 'close(graceMs) waits for ever',
    edits: [
      edit(
        'server.ts',
        'const cut = setTimeout(() => server.closeAllConnections(), graceMs)',
        'const cut = setTimeout(() => {}, graceMs)',
      ),
    ],
    says: /close\(300\) still waited after [\d.]+ s for a request that never ends: cut the connections still open/,
  },

  // Scale out
  {
    step: 'scale-out',
    mistake: 'no X-Instance header',
    edits: [edit('app.ts', "res.set('X-Instance', instance)", '')],
    says: /the login through instance a should carry the header X-Instance: a \(it carried none\)/,
  },
  {
    step: 'scale-out',
    mistake: 'majority writes without a time limit',
    edits: [
      edit(
        'store.ts',
        "writeConcern: { w: 'majority', wtimeoutMS: Math.max(1, Math.floor(timeoutMs / 2)) }",
        "writeConcern: { w: 'majority' }",
      ),
    ],
    says: /the \w+ command on sessions has no time limit/,
  },
  {
    step: 'scale-out',
    mistake: 'left the read preference to MONGO_URL',
    edits: [edit('store.ts', /\n\s+readPreference: 'primary',/, '')],
    says: /with readPreference=secondaryPreferred in MONGO_URL, sessions would be read from secondaries/,
  },
  {
    step: 'scale-out',
    mistake: "MongoDB's write limit longer than the client's",
    edits: [edit('store.ts', 'wtimeoutMS: Math.max(1, Math.floor(timeoutMs / 2))', 'wtimeoutMS: 5000')],
    says: /the write concern's wtimeoutMS is 5000 ms and socketTimeoutMS 1000 ms: the client stops listening first/,
  },
  {
    step: 'scale-out',
    mistake: 'left retryWrites to MONGO_URL',
    edits: [edit('store.ts', /\n\s+retryWrites: true,[^\n]*/, '')],
    says: /with retryWrites=false in MONGO_URL, a save cut off by an election would fail/,
  },
  {
    step: 'scale-out',
    mistake: 'a write a majority did not confirm answered 500',
    edits: [edit('errors.ts', 'if (error instanceof MongoWriteConcernError) return true', '')],
    says: /a MongoWriteConcernError\), POST \/login answered 500: the write may or may not last, so answer it as an outage, 503/,
  },
  {
    step: 'scale-out',
    mistake: 'INSTANCE not read',
    edits: [edit('config.ts', 'instance: readInstance(env.INSTANCE)', 'instance: hostname()')],
    says: /readConfig\(\{ INSTANCE: 'b' \}\) should give the instance 'b'/,
  },
]
