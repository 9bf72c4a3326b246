// The mistakes learners make, step by step: each is applied to the step's solution, and the check
// that must catch it has to fail with a first 🚨 that names the mistake and its fix. This proves
// the checks, as the starters prove the steps (test/workshop/two-way.test.ts runs them all).

export interface Mistake {
  step: number
  /** What the learner did, in a few words. */
  mistake: string
  /** The file of the solution it changes. */
  file: string
  /** The solution's text, exactly, and what the mistake makes of it. */
  from: string
  to: string
  /** The check file that must catch it, by step number (default: the step's own check). */
  check?: number
  /** The first 🚨 sentence of that check must match this. */
  says: RegExp
}

export const mistakes: Mistake[] = [
  // 01 · A bare Express server
  {
    step: 1,
    mistake: 'forgot the health route',
    file: 'app.ts',
    from: "  app.get('/health', (_req, res) => {\n    res.json({ status: 'ok' })\n  })\n",
    to: '',
    says: /GET \/health answered 404: add app\.get\('\/health'/,
  },
  {
    step: 1,
    mistake: 'an empty PORT is not treated as unset',
    file: 'config.ts',
    from: "if (value === undefined || value.trim() === '') return 4000",
    to: 'if (value === undefined) return 4000',
    says: /readConfig\(\{ PORT: '' \}\) should give port 4000: an empty PORT counts as unset/,
  },
  {
    step: 1,
    mistake: "ignored the listen callback's error",
    file: 'server.ts',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the solution's own text, quoted
    from: '      if (error) reject(new Error(`Cannot listen on port ${port} (${error.message}): ${fix}.`))\n      else resolve(server)',
    to: '      resolve(server)',
    says: /start\(env\) resolved although port \d+ is taken: reject when app\.listen\(\) passes an error/,
  },
  {
    step: 1,
    mistake: 'handled SIGTERM but not SIGINT',
    file: 'server.ts',
    from: "for (const signal of ['SIGINT', 'SIGTERM'] as const)",
    to: "for (const signal of ['SIGTERM'] as const)",
    says: /on SIGINT \(Ctrl\+C\), server\.ts was killed by SIGINT instead of closing the server/,
  },
  {
    step: 1,
    mistake: 'a crash at import',
    file: 'app.ts',
    from: 'export function createApp(): Express {',
    to: "const limits = JSON.parse('{not json')\nexport function createApp(): Express {",
    says: /app\.ts crashed while loading: SyntaxError: .*\(.*app\.ts:\d+:\d+\)/,
  },

  // 02 · A session for every visitor
  {
    step: 2,
    mistake: "the article's session(secret: …) without its braces",
    file: 'app.ts',
    from: '    session({\n',
    to: '    session(\n',
    says: /app\.ts crashed while loading: .*app\.ts:\d+:\d+/,
  },
  {
    step: 2,
    mistake: 'forgot the session middleware',
    file: 'app.ts',
    from: "  app.use(\n    session({\n      secret, // signs the connect.sid cookie: never commit a real one, read it from the environment\n      resave: false, // don't write an unchanged session back on every request\n      saveUninitialized: true, // as the article: store even empty sessions (step 05 turns this off)\n    }),\n  )\n",
    to: '',
    says: /req\.session is missing: add app\.use\(session\(/,
  },
  {
    step: 2,
    mistake: '?? keeps an empty SESSION_SECRET',
    file: 'config.ts',
    from: 'secret: env.SESSION_SECRET || developmentSecret',
    to: 'secret: env.SESSION_SECRET ?? developmentSecret',
    says: /with SESSION_SECRET empty, the secret should be 'SECRET KEY'.*use \|\|, not \?\?/,
  },
  {
    step: 2,
    mistake: 'server.ts does not pass the secret on',
    file: 'server.ts',
    from: 'await listen(createApp({ secret }), port)',
    to: "await listen(createApp({ secret: '' }), port)",
    says: /a request to the server start\(env\) started answered 500: pass the secret to createApp/,
  },

  // 03 · Keep sessions in MongoDB
  {
    step: 3,
    mistake: 'built the store but never gave it to session()',
    file: 'app.ts',
    from: '      store, // MongoDB instead of process memory: sessions survive restarts and are shared\n',
    to: '',
    says: /after one visit, "sessions" holds 0 documents, not 1: pass the store to session\(\{ store \}\)/,
  },
  {
    step: 3,
    mistake: "the article's v3 API: MongoStore called without new",
    file: 'store.ts',
    from: '  return MongoStore.create({',
    to: '  return (MongoStore as unknown as (options: object) => MongoStore)({',
    says: /createSessionStore\(\) in .*store\.ts threw: TypeError: Class constructor MongoStore cannot be invoked without 'new'/,
  },
  {
    step: 3,
    mistake: 'ttl in milliseconds',
    file: 'store.ts',
    from: '    ttl: 14 * 24 * 60 * 60,',
    to: '    ttl: 14 * 24 * 60 * 60 * 1000,',
    says: /expires should be 14 days from now \(ttl: 14 \* 24 \* 60 \* 60, in seconds\)/,
  },
  {
    step: 3,
    mistake: 'close() forgets the store',
    file: 'server.ts',
    from: '      // Its MongoDB connection pool would keep the process alive for ever.\n      await store.close()\n',
    to: '',
    says: /after close\(\), \d+ connections to MongoDB stayed open: close\(\) should close the store too/,
  },
  {
    step: 3,
    mistake: '?? keeps an empty MONGO_URL',
    file: 'config.ts',
    from: "mongoUrl: env.MONGO_URL || 'mongodb://127.0.0.1:27017/test-app'",
    to: "mongoUrl: env.MONGO_URL ?? 'mongodb://127.0.0.1:27017/test-app'",
    says: /with MONGO_URL empty \(MONGO_URL= on a command line\), mongoUrl should be the article's .*an empty value counts as unset/,
  },

  // 04 · Set a user, end the session
  {
    step: 4,
    mistake: 'only logged a failed save, as the article does',
    file: 'app.ts',
    from: '      // The article only logged the error, so the request hung until the client gave up.\n      if (error) return next(error)',
    to: '      if (error) return console.log(error)',
    says: /GET \/ never answered when the save failed: call next\(error\)/,
  },
  {
    step: 4,
    mistake: 'destroyed the session but left the cookie',
    file: 'app.ts',
    from: "      res.clearCookie(cookieName, { path: '/' })\n",
    to: '',
    says: /the browser still holds connect\.sid: destroy\(\) removes the document only/,
  },
  {
    step: 4,
    mistake: 'did not tell TypeScript what a session holds',
    file: 'app.ts',
    from: "declare module 'express-session' {\n  interface SessionData {\n    user: { uuid: string }\n  }\n}\n",
    to: '',
    says: /does not type-check: .*Property 'user' does not exist.*declare module 'express-session'/,
  },

  // 05 · Log in and log out
  {
    step: 5,
    mistake: 'kept saveUninitialized: true',
    file: 'app.ts',
    from: '      saveUninitialized: false,',
    to: '      saveUninitialized: true,',
    says: /a visitor who stored nothing got a connect\.sid cookie: set saveUninitialized: false/,
  },
  {
    step: 5,
    mistake: 'stored the user without regenerating the session',
    file: 'app.ts',
    from: '    req.session.regenerate((error) => {\n      if (error) return next(error)\n      req.session.user = { uuid: randomUUID(), name }',
    to: '    ;((callback: (error?: unknown) => void) => callback())((error) => {\n      if (error) return next(error)\n      req.session.user = { uuid: randomUUID(), name }',
    says: /(the session id must change at login|POST \/login should set a new connect\.sid cookie).*req\.session\.regenerate/,
  },
  {
    step: 5,
    mistake: 'no limit on the username',
    file: 'app.ts',
    from: "if (name === '' || name.length > maxNameLength) {",
    to: "if (name === '') {",
    says: /POST \/login with a username of 65 characters answered 200, not 400/,
  },
  {
    step: 5,
    mistake: 'no JSON error handler: Express answers its HTML page',
    file: 'app.ts',
    from: '  app.use(jsonErrors)\n',
    to: '',
    says: /POST \/login with bad JSON answered text\/html: answer every error as JSON/,
  },
  {
    step: 5,
    mistake: 'a crash at import: a name that does not exist',
    file: 'app.ts',
    from: 'const maxNameLength = 64',
    to: 'const maxNameLength = limits.username',
    says: /app\.ts crashed while loading: ReferenceError: limits is not defined \(.*app\.ts:\d+:\d+\)/,
  },

  // 06 · Production cookies and secrets
  {
    step: 6,
    mistake: 'never told Express to trust the proxy',
    file: 'app.ts',
    from: "  app.set('trust proxy', trustProxy)\n",
    to: '',
    says: /a login that came over HTTPS through the proxy \(X-Forwarded-Proto: https\) should get a Secure cookie/,
  },
  {
    step: 6,
    mistake: "secure: true instead of 'auto'",
    file: 'app.ts',
    from: "    secure: 'auto' as const,",
    to: '    secure: true,',
    says: /a login over plain HTTP got no cookie at all: with secure: true/,
  },
  {
    step: 6,
    mistake: 'relied on the sliding expiry alone',
    file: 'app.ts',
    from: '    if (since === undefined || Date.now() - since < maxAge) return next()',
    to: '    if (since === undefined || Date.now() - since < maxAge * 1000) return next()',
    says: /a login from two hours ago, with maxAge one hour, still answered 200/,
  },
  {
    step: 6,
    mistake: 'production accepts the default secret',
    file: 'config.ts',
    from: "    requireStrong('SESSION_SECRET', given)\n",
    to: '',
    says: /with NODE_ENV=production and no SESSION_SECRET, readConfig\(env\) should throw/,
  },
  {
    step: 6,
    mistake: "the article's routes left on in production",
    file: 'server.ts',
    from: 'articleRoutes: !production',
    to: 'articleRoutes: true',
    says: /in production, GET \/ answered 200: the article's test routes .* stay out of production/,
  },
  {
    step: 6,
    mistake: "cleared the cookie with the session's own options (secure: 'auto')",
    file: 'app.ts',
    from: '    res.clearCookie(cookieName, { ...cookie, secure: req.secure })',
    to: '    res.clearCookie(cookieName, cookie)',
    says: /over HTTP, the logout cleared the cookie with .*secure, but it was set with .*: clear it with \{ \.\.\.cookie, secure: req\.secure \}/,
  },

  // 07 · A store that costs little and leaks nothing
  {
    step: 7,
    mistake: 'forgot touchAfter',
    file: 'store.ts',
    from: '    touchAfter: 24 * 60 * 60,',
    to: '',
    says: /5 reads of an unchanged session moved its expires date 5 times, a write each: set touchAfter/,
  },
  {
    step: 7,
    mistake: 'the encryption secret is ignored',
    file: 'store.ts',
    from: 'cryptoAdapter: encryptionSecret ? createWebCryptoAdapter({ secret: encryptionSecret }) : undefined,',
    to: 'cryptoAdapter: undefined,',
    says: /MongoDB holds the session readable: with createSessionStore\(…, \{ encryptionSecret \}\), set cryptoAdapter/,
  },
  {
    step: 7,
    mistake: 'destroy() leaves no mark',
    file: 'store.ts',
    from: '    this.markEnded(sid).then(() => super.destroy(sid, callback), callback)',
    to: '    super.destroy(sid, callback)',
    says: /a request that saved the session just after the logout brought it back \(a save is an upsert\)/,
  },
  {
    step: 7,
    mistake: 'looked for the mark before the save instead of after it',
    file: 'store.ts',
    from: '    super.set(sid, session, (error) => {\n      if (error) return callback(error)\n      this.isEnded(sid).then((ended) => (ended ? super.destroy(sid, callback) : callback()), callback)\n    })',
    to: '    this.isEnded(sid).then((ended) => (ended ? callback() : super.set(sid, session, callback)), callback)',
    says: /a request that saved the session just after the logout brought it back \(a save is an upsert\)/,
  },
  {
    step: 7,
    mistake: 'destroy() deletes first, then leaves its mark',
    file: 'store.ts',
    from: '    this.markEnded(sid).then(() => super.destroy(sid, callback), callback)',
    to: '    super.destroy(sid, (error) => (error ? callback(error) : this.markEnded(sid).then(() => callback(), callback)))',
    says: /a save that landed right after the logout deleted the document, and before destroy\(\) left its mark, brought the session back: leave the mark first, then delete/,
  },
  {
    step: 7,
    mistake: 'production accepts a weak encryption key',
    file: 'config.ts',
    from: "    if (encryptionKey !== undefined) requireStrong('SESSION_ENCRYPTION_KEY', encryptionKey)\n",
    to: '',
    says: /with NODE_ENV=production and a SESSION_ENCRYPTION_KEY of 5 characters, readConfig\(env\) should throw/,
  },

  // 08 · When MongoDB fails
  {
    step: 8,
    mistake: 'no time limit on answers (socketTimeoutMS)',
    file: 'store.ts',
    from: '    socketTimeoutMS: timeoutMs,',
    to: '',
    says: /socketTimeoutMS is unset \(0: no limit\): a database that hangs after taking a request holds it for ever/,
  },
  {
    step: 8,
    mistake: 'no 503 handler: a MongoDB outage is a 500',
    file: 'app.ts',
    from: '  app.use(databaseUnavailable)\n',
    to: '',
    says: /during the outage, GET \/me answered 500 after \d+ ms: an error handler should answer 503 .*before the JSON handler/,
  },
  {
    step: 8,
    mistake: 'the 503 handler after the JSON one',
    file: 'app.ts',
    from: '  app.use(databaseUnavailable)\n  app.use(jsonErrors)\n',
    to: '  app.use(jsonErrors)\n  app.use(databaseUnavailable)\n',
    says: /during the outage, GET \/me answered 500 .*app\.use\(\) it in \S+\/app\.ts before the JSON handler/,
  },
  {
    step: 8,
    mistake: 'kept the session on the 503',
    file: 'errors.ts',
    from: '  delete (req as { session?: unknown }).session\n',
    to: '',
    says: /after its 503, the app tried to save the session again.*drop the session before answering 503/,
  },
  {
    step: 8,
    mistake: 'created the client outside the try',
    file: 'server.ts',
    from: '  let client: MongoClient\n  try {\n    client = createMongoClient(mongoUrl, mongoTimeoutMs)\n',
    to: '  const client = createMongoClient(mongoUrl, mongoTimeoutMs)\n  try {\n',
    says: /with MONGO_URL=garbage, start\(env\) rejected with ".*": name MONGO_URL and what to do/,
  },
  {
    step: 8,
    mistake: 'a module that never finishes loading',
    file: 'errors.ts',
    from: "import { MongoDriverError, MongoNetworkError, MongoServerSelectionError } from 'mongodb'\n",
    to: "import { MongoDriverError, MongoNetworkError, MongoServerSelectionError } from 'mongodb'\n\nawait new Promise(() => {})\n",
    says: /(app|errors)\.ts did not finish loading within \d+ s: something at its top level waits for ever/,
  },

  // 09 · Scale out
  {
    step: 9,
    mistake: 'no X-Instance header',
    file: 'app.ts',
    from: "    res.set('X-Instance', instance)\n",
    to: '',
    says: /the login through instance a should carry the header X-Instance: a \(it carried none\)/,
  },
  {
    step: 9,
    mistake: 'majority writes without a time limit',
    file: 'store.ts',
    from: "writeConcern: { w: 'majority', wtimeoutMS: 5000 },",
    to: "writeConcern: { w: 'majority' },",
    says: /the \w+ command on sessions has no time limit/,
  },
  {
    step: 9,
    mistake: 'left the read preference to MONGO_URL',
    file: 'store.ts',
    from: "    readPreference: 'primary',\n",
    to: '',
    says: /with readPreference=secondaryPreferred in MONGO_URL, sessions would be read from secondaries/,
  },
]
