// Check 01: a bare Express app, built by createApp() and started by server.ts.
import request from 'supertest'
import { afterEach, describe, expect, it } from 'vitest'
import { freePort } from '../tools/lib/ports.js'
import { checkDatabase, loadModule, secret, shortDir, workshopDir, type AppModule } from './support/workshop.js'
import { startServer, type RunningServer } from './support/server-process.js'

const dir = workshopDir('01-bare-express')
const where = shortDir(dir)

describe('GET /health', () => {
  it('answers 200 with JSON', async () => {
    const { createApp } = await loadModule<AppModule>(dir, 'app.ts')
    expect(typeof createApp, `🚨 ${where}/app.ts must export a function named createApp.`).toBe('function')
    const response = await request(createApp({ secret })).get('/health')
    expect(response.status, `🚨 GET /health should answer 200: add app.get('/health', ...) in ${where}/app.ts.`).toBe(
      200,
    )
    expect(response.type, `🚨 GET /health should answer JSON: use res.json({ status: 'ok' }) in ${where}/app.ts.`).toBe(
      'application/json',
    )
  })
})

describe('server.ts', () => {
  let server: RunningServer | undefined
  let drop: (() => Promise<void>) | undefined

  afterEach(async () => {
    await server?.stop('SIGKILL', 2000)
    await drop?.()
  })

  it('listens on PORT, says so, and exits on SIGTERM', async () => {
    const port = await freePort()
    // Later steps connect to MongoDB from server.ts: give them a database of their own.
    const database = await checkDatabase('01')
    drop = database.drop
    server = startServer(dir, { PORT: String(port), MONGO_URL: database.url, SESSION_SECRET: secret })

    const expected = `🚨 ${where}/server.ts should read PORT from the environment and print "App listening on port ${port}"`
    await server.waitFor(/App listening on port \d+/, 20_000).catch((error: Error) => {
      throw new Error(`${expected} (${error.message}).`)
    })
    const printed = /App listening on port (\d+)/.exec(server.output())?.[1]
    expect(printed, `${expected}, not port ${printed}.`).toBe(String(port))
    const response = await fetch(`http://127.0.0.1:${port}/health`)
    expect(
      response.status,
      `🚨 the server on PORT should answer GET /health: server.ts must listen with the app from createApp().`,
    ).toBe(200)

    const exit = await server.stop('SIGTERM', 5000)
    expect(
      exit,
      `🚨 ${where}/server.ts kept running 5 s after SIGTERM: on SIGINT/SIGTERM close the server (and, from step 03, the store).`,
    ).not.toBe('timeout')
  })
})
