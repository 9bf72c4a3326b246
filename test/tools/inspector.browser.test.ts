// `npm run demo` as the room sees it: headless Chromium (Debian's package, driven by
// playwright-core) clicks through one session's life on the inspector page, and the test looks
// inside MongoDB at every stage. It saves a screenshot of the page; UPDATE_SCREENSHOT=1 writes
// the one README.md shows (docs/inspector.png).
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { MongoClient } from 'mongodb'
import { chromium, type Browser, type Page } from 'playwright-core'
import { describe, expect, inject, it } from 'vitest'
import { withDatabase } from '../../tools/lib/mongo.js'
import { freePort } from '../../tools/lib/ports.js'
import { rootDir } from '../../tools/lib/steps.js'

const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
const screenshot = join(rootDir, process.env.UPDATE_SCREENSHOT ? 'docs/inspector.png' : 'test-results/inspector.png')
const uuid = '12234-2345-2323423'
/** How long the page may take to show a change (a busy machine runs other tests too). */
const soon = { timeout: 15_000, interval: 100 }

describe('npm run demo in headless Chromium', () => {
  it('follows a session: created, still there after a server restart, ended and gone from MongoDB', {
    timeout: 120_000,
  }, async () => {
    if (!existsSync(chromiumPath)) {
      throw new Error(
        `🚨 Chromium is missing at ${chromiumPath}: install it with \`sudo apt-get update && sudo apt-get install -y chromium\` (Debian, Ubuntu), or set CHROMIUM_PATH to a Chromium or Chrome binary.`,
      )
    }
    const database = `inspector-browser-${randomUUID().slice(0, 8)}`
    // npm run demo keeps to a database of its own beside the one MONGO_URL names.
    const demoDatabase = `${database}-demo`
    const client = await MongoClient.connect(withDatabase(inject('mongoUrl'), demoDatabase))
    const sessions = client.db(demoDatabase).collection<{ _id: string; session: string }>('sessions')
    const port = await freePort()
    const demo = spawn(process.execPath, [join(rootDir, 'tools', 'run.mjs'), 'demo'], {
      cwd: rootDir,
      env: { ...process.env, PORT: String(port), MONGO_URL: withDatabase(inject('mongoUrl'), database) },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    demo.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    demo.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const exited = new Promise<number | null>((resolve) => demo.once('exit', (code) => resolve(code)))
    let browser: Browser | undefined

    try {
      await expect.poll(() => output, { timeout: 30_000, interval: 100 }).toContain('Inspector: http://localhost:')
      browser = await chromium.launch({
        executablePath: chromiumPath,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      })
      const page = await browser.newPage({ viewport: { width: 1500, height: 1050 } })
      await page.goto(`http://127.0.0.1:${port}/__inspector/`)
      await expect.poll(() => text(page, '#cookie-body'), soon).toContain('No connect.sid cookie')
      await expect.poll(() => text(page, '#rows'), soon).toContain('No sessions in the collection.')

      // 1. GET /: the app sets the cookie, and the document appears.
      await page.getByRole('button', { name: 'GET /', exact: true }).click()
      await expect.poll(() => text(page, '#last'), soon).toContain(`GET / → 200 OK   {"uuid":"${uuid}"}`)
      await page.locator('#cookie-session-id').waitFor()
      const id = await text(page, '#cookie-session-id')
      expect(id).toMatch(/^[\w-]{32}$/)
      await expect.poll(() => text(page, '#document-json'), soon).toContain(`"_id": "${id}"`)
      expect(await text(page, '#document-json')).toContain(uuid)
      expect(await sessions.findOne({ _id: id })).toMatchObject({ _id: id, session: expect.stringContaining(uuid) })
      expect(await text(page, '#ttl-seconds')).toBe('0')
      expect(await text(page, '#rows tr.mine')).toContain(id)
      // `expires` counts down on the page, second by second.
      const first = await text(page, '.countdown')
      expect(first).toMatch(/^expires in 13 d 23 h 5\d min \d+ s$/)
      await expect.poll(() => text(page, '.countdown'), soon).not.toBe(first)

      // 2. Restart the server: a new process, the same session.
      const pidBefore = /process (\d+)/.exec(await text(page, '#server'))?.[1]
      expect(pidBefore).toBeDefined()
      await page.getByRole('button', { name: 'Restart the server' }).click()
      await expect
        .poll(() => text(page, '#server'), { ...soon, timeout: 30_000 })
        .toMatch(/^server: running · process \d+ · restarts: 1$/)
      expect(await text(page, '#server')).not.toContain(`process ${pidBefore} `)
      await page.getByRole('button', { name: 'GET /', exact: true }).click()
      await expect.poll(() => text(page, '#last'), soon).toContain('GET / → 200 OK')
      await expect.poll(() => text(page, '#cookie-session-id'), soon).toBe(id)
      expect(await text(page, '#document-json')).toContain(`"_id": "${id}"`)
      expect(await sessions.countDocuments()).toBe(1)
      await page.mouse.move(0, 0)
      mkdirSync(dirname(screenshot), { recursive: true })
      await page.screenshot({ path: screenshot, fullPage: true, animations: 'disabled' })

      // 3. MongoDB cut off for the app: its answer is a 503, while the page still reads MongoDB.
      await page.getByRole('button', { name: 'Cut MongoDB off' }).click()
      await expect.poll(() => text(page, '#mongodb'), soon).toBe('MongoDB: cut off (refused)')
      await page.getByRole('button', { name: 'GET /', exact: true }).click()
      await expect.poll(() => text(page, '#last'), soon).toContain('GET / → 503')
      expect(await text(page, '#document-json')).toContain(`"_id": "${id}"`)
      await page.getByRole('button', { name: 'Make MongoDB hang' }).click()
      await page.getByRole('button', { name: 'Bring MongoDB back' }).click()
      await expect.poll(() => text(page, '#mongodb'), soon).toBe('MongoDB: reachable')

      // 4. GET /end: the app destroys the session, clears the cookie, and the document is gone.
      await page.getByRole('button', { name: 'GET /end', exact: true }).click()
      await expect.poll(() => text(page, '#last'), soon).toContain('GET /end → 200 OK   Session is destroyed')
      await expect.poll(() => text(page, '#cookie-body'), soon).toContain('No connect.sid cookie')
      await expect.poll(() => text(page, '#document-body'), soon).toContain('no session id')
      // What stays is the logout's mark, which keeps the session from coming back (step 07).
      await expect.poll(() => text(page, '#rows'), soon).toContain('(a logout mark)')
      expect(await sessions.findOne({ _id: id })).toBeNull()
    } finally {
      await browser?.close()
      demo.kill('SIGINT')
      const stuck = setTimeout(() => demo.kill('SIGKILL'), 10_000)
      const code = await exited
      clearTimeout(stuck)
      await client
        .db(demoDatabase)
        .dropDatabase()
        .catch(() => {})
      await client.close()
      expect(code, `npm run demo should stop cleanly on Ctrl+C; it printed:\n${output}`).toBe(0)
    }
  })
})

async function text(page: Page, selector: string): Promise<string> {
  return ((await page.locator(selector).first().textContent({ timeout: 5_000 })) ?? '').trim()
}
