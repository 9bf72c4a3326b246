// The server `npm run bench` measures, in a process of its own so the load generator does not share
// its event loop. Configured by the BENCH_SCENARIO environment variable (JSON); it counts the
// MongoDB commands its store sends (driver command monitoring) and reports them over IPC.
import type { AddressInfo } from 'node:net'
import MongoStore from 'connect-mongo'
import express from 'express'
import session from 'express-session'
import { MongoClient } from 'mongodb'
import type { Scenario } from './scenarios.js'

declare module 'express-session' {
  interface SessionData {
    user: { name: string }
  }
}

export type BenchMessage = { type: 'ready'; port: number } | { type: 'counts'; writes: number; reads: number }
export type BenchCommand = { type: 'reset' } | { type: 'counts' } | { type: 'stop' }

const scenario = JSON.parse(process.env.BENCH_SCENARIO ?? '{}') as Scenario
const mongoUrl = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017/bench'
const send = (message: BenchMessage) => process.send?.(message)

const writeCommands = new Set(['insert', 'update', 'delete', 'findAndModify'])
let writes = 0
let reads = 0

const client = scenario.store === 'mongo' ? new MongoClient(mongoUrl, { monitorCommands: true }) : undefined
client?.on('commandStarted', (event) => {
  if (writeCommands.has(event.commandName)) writes++
  else if (event.commandName === 'find') reads++
})
const store =
  client &&
  MongoStore.create({
    client,
    touchAfter: scenario.touchAfter,
    ttl: 14 * 24 * 60 * 60,
  })

const app = express()
app.use(
  session({
    secret: 'bench secret',
    resave: scenario.resave,
    saveUninitialized: scenario.saveUninitialized,
    store,
    cookie: { httpOnly: true, sameSite: 'lax', maxAge: 14 * 24 * 60 * 60 * 1000 },
  }),
)
app.post('/login', (req, res, next) => {
  req.session.regenerate((error) => {
    if (error) return next(error)
    req.session.user = { name: `user-${Math.random().toString(36).slice(2, 8)}` }
    res.json(req.session.user)
  })
})
app.get('/me', (req, res) => {
  if (!req.session.user) res.status(401).json({ error: 'not logged in' })
  else res.json(req.session.user)
})
app.get('/page', (_req, res) => {
  res.type('html').send('<h1>Welcome</h1>')
})

const server = app.listen(0, '127.0.0.1', () => {
  send({ type: 'ready', port: (server.address() as AddressInfo).port })
})

process.on('message', (command: BenchCommand) => {
  if (command.type === 'reset') {
    writes = 0
    reads = 0
    send({ type: 'counts', writes, reads })
  } else if (command.type === 'counts') {
    send({ type: 'counts', writes, reads })
  } else {
    server.close()
    server.closeAllConnections()
    void store?.close().finally(() => process.exit(0))
    if (!store) process.exit(0)
  }
})
