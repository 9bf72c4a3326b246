// The inspector's one port: its page and JSON under /__inspector/, every other request proxied to
// the workshop server, so the browser holds the app's real cookie for this origin and sends it
// with the page's own polling requests. (The cookie is HttpOnly: page scripts cannot read it.)
// The proxy also notes each request it passes on, for the page's request log (exchanges.ts).
import { request } from 'node:http'
import { fileURLToPath } from 'node:url'
import express, { type Express, type Request, type RequestHandler, type Response } from 'express'
import { type OutageState, outageLines } from '../lib/outage.js'
import type { Action } from './actions.js'
import type { ServerStatus } from './app-group.js'
import { readSessionCookie, type SessionCookie } from './cookie.js'
import { type Exchange, type ExchangeHandle, ExchangeLog } from './exchanges.js'
import { type SessionReader, type SessionsSnapshot, sessionsCollection } from './reader.js'

export const inspectorPath = '/__inspector'
const pageDir = fileURLToPath(new URL('./page/', import.meta.url))

/** What the inspector needs of the app's processes (tools/inspector/app-group.ts). */
export interface AppControl {
  readonly status: ServerStatus
  ready(): Promise<void>
  restart(): Promise<ServerStatus>
}

export interface InspectorOptions {
  reader: SessionReader
  app: AppControl
  /** Where the workshop server listens (on 127.0.0.1), or the balancer in front of its instances. */
  appPort: number
  /** How many instances answer behind that port (more than one: through a round-robin balancer). */
  instances?: number
  step: { number: number; title: string; folder: string }
  actions: Action[]
  /** The switch between the app and MongoDB (the outage button), when the app goes through one. */
  outage?: { readonly state: OutageState; next(): OutageState }
  /** The clear button: deletes the sessions of the demo's database and answers how many went. */
  clear?: () => Promise<number>
}

/** What the page polls every second. */
export interface InspectorState {
  now: number
  step: InspectorOptions['step']
  database: string
  collection: string
  app: ServerStatus
  /** How many instances answer behind the inspector (1: the server alone, no balancer). */
  instances: number
  actions: Action[]
  cookie: SessionCookie | null
  snapshot: SessionsSnapshot | null
  /** Why the snapshot is missing: MongoDB did not answer. */
  error: string | null
  /** What the outage button has done to the app's MongoDB: up, refused or hung (null: no button). */
  outage: OutageState | null
  /** The latest requests through the proxy, newest first (the page's own and any other client's). */
  exchanges: Exchange[]
  /** Whether the clear button deletes anything here. */
  canClear: boolean
}

/** How many requests the page's log lists. */
const shownExchanges = 8

export function createInspector(options: InspectorOptions): Express {
  const log = new ExchangeLog()
  const inspector = express()
  inspector.disable('x-powered-by')
  inspector.use(inspectorPath, localOnly)

  inspector.get(`${inspectorPath}/state`, async (req, res) => {
    const cookie = readSessionCookie(req.headers.cookie)
    const state: InspectorState = {
      now: Date.now(),
      step: options.step,
      database: options.reader.database,
      collection: sessionsCollection,
      app: options.app.status,
      instances: options.instances ?? 1,
      actions: options.actions,
      cookie,
      snapshot: null,
      error: null,
      outage: options.outage?.state ?? null,
      exchanges: log.list(shownExchanges),
      canClear: options.clear !== undefined,
    }
    try {
      state.snapshot = await options.reader.snapshot(cookie?.sessionId ?? null)
    } catch (error) {
      state.error = `MongoDB did not answer (${error instanceof Error ? error.message : String(error)})`
    }
    res.set('Cache-Control', 'no-store').json(state)
  })

  inspector.post(`${inspectorPath}/restart`, async (req, res) => {
    // A custom header: other sites' pages cannot send it without CORS permission, which this never grants.
    if (req.get('x-inspector') !== 'restart') {
      res.status(403).json({ error: 'send the header X-Inspector: restart' })
      return
    }
    try {
      res.json(await options.app.restart())
    } catch (error) {
      res.status(500).json({ error: error instanceof Error ? error.message : String(error) })
    }
  })

  inspector.post(`${inspectorPath}/outage`, (req, res) => {
    // The same custom header as the restart: no other site's page can send it.
    if (req.get('x-inspector') !== 'outage' || !options.outage) {
      res.status(403).json({ error: 'send the header X-Inspector: outage' })
      return
    }
    const state = options.outage.next()
    res.json({ state, says: outageLines[state] })
  })

  inspector.post(`${inspectorPath}/clear`, async (req, res) => {
    // The same custom header again: deleting sessions is for this page's button only.
    if (req.get('x-inspector') !== 'clear' || !options.clear) {
      res.status(403).json({ error: 'send the header X-Inspector: clear' })
      return
    }
    try {
      res.json({ deleted: await options.clear() })
    } catch (error) {
      res
        .status(500)
        .json({ error: `MongoDB did not answer (${error instanceof Error ? error.message : String(error)})` })
    }
  })

  inspector.use(inspectorPath, express.static(pageDir))
  inspector.use(proxyTo(options.appPort, options.app, log))
  return inspector
}

/** The page shows every session: answer only to names of this machine (no DNS rebinding). */
const localOnly: RequestHandler = (req, res, next) => {
  if (['localhost', '127.0.0.1', '[::1]', '::1'].includes(req.hostname)) return next()
  res.status(403).type('text').send('The session inspector answers only on localhost.')
}

/** Forwards the request as it is (method, path, headers, body) and streams the answer back. */
function proxyTo(port: number, app: AppControl, log: ExchangeLog): RequestHandler {
  return (req, res) => {
    // Noted on arrival, so the time taken includes waiting for a restart, as the browser waits.
    const exchange = log.begin(req.method, req.originalUrl, req.headers)
    // During a restart, requests wait for the new server instead of failing.
    app.ready().then(
      () => forward(req, res, port, exchange),
      (error: unknown) => unavailable(res, error instanceof Error ? error.message : String(error), exchange),
    )
  }
}

function forward(req: Request, res: Response, port: number, exchange: ExchangeHandle): void {
  const headers = { ...req.headers }
  delete headers.connection // hop-by-hop: the proxy keeps its own connection to the app
  const upstream = request(
    { host: '127.0.0.1', port, method: req.method, path: req.originalUrl, headers },
    (answer) => {
      const status = answer.statusCode ?? 502
      exchange.answered(status, answer.statusMessage ?? '', answer.headers)
      res.writeHead(status, answer.statusMessage, answer.headers)
      answer.on('data', (chunk: Buffer) => exchange.data(chunk))
      answer.once('end', () => exchange.done())
      answer.once('error', (error) => exchange.done(error.message))
      answer.once('close', () => exchange.done('the answer was cut short'))
      answer.pipe(res)
    },
  )
  upstream.on('error', (error) => unavailable(res, error.message, exchange))
  req.pipe(upstream)
}

function unavailable(res: Response, reason: string, exchange: ExchangeHandle): void {
  if (res.headersSent) {
    exchange.done(reason)
    res.destroy()
    return
  }
  const says = `🚨 The workshop server did not answer (${reason}): press "Restart the server", or read the terminal running npm run demo.`
  exchange.answered(502, 'Bad Gateway', {})
  exchange.data(Buffer.from(says))
  exchange.done(reason)
  res.status(502).type('text').send(says)
}
