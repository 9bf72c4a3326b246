// What `npm run bench` compares: the finished server's session setup, one option changed at a time.
export interface Scenario {
  name: string
  /** What the row teaches, for the table and docs/benchmarks.md. */
  note: string
  store: 'memory' | 'mongo'
  resave: boolean
  saveUninitialized: boolean
  /** connect-mongo's touchAfter, in seconds (0: touch on every request). */
  touchAfter: number
  /** `users`: every request carries a logged-in session's cookie and reads it (GET /me).
   *  `anonymous`: no cookie, a page that never touches the session (GET /page). */
  traffic: 'users' | 'anonymous'
}

const finished = { resave: false, saveUninitialized: false, touchAfter: 0 } as const

export const scenarios: Scenario[] = [
  { name: 'MemoryStore', note: 'baseline: sessions in process memory', store: 'memory', ...finished, traffic: 'users' },
  {
    name: 'MongoStore',
    note: 'connect-mongo defaults: every read refreshes expires (touch)',
    store: 'mongo',
    ...finished,
    traffic: 'users',
  },
  {
    name: 'MongoStore + touchAfter: 3600',
    note: 'touch at most once an hour per session',
    store: 'mongo',
    ...finished,
    touchAfter: 3600,
    traffic: 'users',
  },
  {
    name: 'MongoStore + resave: true',
    note: 'writes the whole session back on every request',
    store: 'mongo',
    ...finished,
    resave: true,
    traffic: 'users',
  },
  {
    name: 'anonymous, saveUninitialized: true',
    note: "the article's setting: a document per cookieless request",
    store: 'mongo',
    ...finished,
    saveUninitialized: true,
    traffic: 'anonymous',
  },
  {
    name: 'anonymous, saveUninitialized: false',
    note: 'no session until there is something to keep',
    store: 'mongo',
    ...finished,
    traffic: 'anonymous',
  },
]
