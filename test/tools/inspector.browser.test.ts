// `npm run demo` as the room sees it: headless Chromium (Debian's package, driven by
// playwright-core) on the inspector page at a projector's 1280x720. One test logs three users in
// and measures the page: it must fit the screen, buttons in view, no text under 18 px. It keeps a
// screenshot; UPDATE_SCREENSHOT=1 writes the one README.md shows (docs/inspector.png). The other
// clicks through one session's life while looking inside MongoDB at every stage.
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { PassThrough } from 'node:stream'
import { MongoClient } from 'mongodb'
import { type Browser, chromium, type Page } from 'playwright-core'
import { describe, expect, inject, it } from 'vitest'
import { startDemo } from '../../tools/inspector/demo.js'
import { withDatabase } from '../../tools/lib/mongo.js'
import { freePort } from '../../tools/lib/ports.js'
import { listSteps, rootDir } from '../../tools/lib/steps.js'

const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
const screenshot = join(rootDir, process.env.UPDATE_SCREENSHOT ? 'docs/inspector.png' : 'test-results/inspector.png')
const projector = { width: 1280, height: 720 }
const uuid = '12234-2345-2323423'
/** How long the page may take to show a change (a busy machine runs other tests too). */
const soon = { timeout: 15_000, interval: 100 }

function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `🚨 Chromium is missing at ${chromiumPath}: install it with \`sudo apt-get update && sudo apt-get install -y chromium\` (Debian, Ubuntu), or set CHROMIUM_PATH to a Chromium or Chrome binary.`,
    )
  }
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  })
}

/**
 * A database of its own on the shared test server (url names it), and a client to look inside the
 * one the app writes to: `npm run demo` keeps to a database of its own beside the one MONGO_URL
 * names (suffix "-demo"), the in-process demo to the one it is given (no suffix).
 */
async function ownDatabase(label: string, suffix = '') {
  const name = `inspector-${label}-${randomUUID().slice(0, 8)}`
  const url = withDatabase(inject('mongoUrl'), name)
  const client = await MongoClient.connect(url)
  return {
    url,
    sessions: client.db(`${name}${suffix}`).collection<{ _id: string; session: string }>('sessions'),
    drop: async () => {
      await client
        .db(`${name}${suffix}`)
        .dropDatabase()
        .catch(() => {})
      await client.close()
    },
  }
}

describe('the inspector on a 1280x720 projector', () => {
  it('fits the screen with three users logged in: no scrolling, every button in view, no text under 18 px', {
    timeout: 120_000,
  }, async () => {
    const finished = listSteps().at(-1)
    if (!finished) throw new Error('no steps found')
    const database = await ownDatabase('projector')
    const output = new PassThrough()
    output.resume()
    // In-process and three instances behind the balancer, as `npm run demo -- --instances 3`.
    const demo = await startDemo({
      step: finished,
      port: await freePort(),
      mongoUrl: database.url,
      output,
      instances: 3,
    })
    let browser: Browser | undefined
    try {
      browser = await launchChromium()
      const pageOf = async (name: string) => {
        const page = await (await (browser as Browser).newContext({ viewport: projector })).newPage()
        await page.goto(demo.url.replace('localhost', '127.0.0.1'))
        await page.locator('#username').fill(name)
        await page.getByRole('button', { name: 'POST /login', exact: true }).click()
        // The buttons are off while the request runs, and on again once the page shows its answer.
        await expect.poll(() => page.locator('button:disabled').count(), soon).toBe(0)
        expect(await text(page, '#latest')).toMatch(/^POST \/login 200 OK \d+ ms instance [abc]/)
        return page
      }
      await pageOf('grace')
      await pageOf('linus')
      const page = await pageOf('ada')
      expect(await text(page, '#latest')).toContain('Set-Cookie ← connect.sid=s:')
      await expect.poll(() => page.locator('#rows tr').count(), soon).toBeGreaterThanOrEqual(3)
      for (const path of ['GET /me', 'GET /visits', 'GET /me']) {
        await page.getByRole('button', { name: path, exact: true }).click()
        await expect.poll(() => text(page, '#latest .request'), soon).toBe(path)
        await expect.poll(() => page.locator('button:disabled').count(), soon).toBe(0)
      }
      // Round robin: the log names more than one instance.
      const instances = await page.locator('table.older tbody tr td:nth-child(3)').allTextContents()
      expect(new Set(instances).size).toBeGreaterThan(1)
      await page.mouse.move(0, 0)

      // Kept before the measures, so a failure leaves the picture of what failed.
      mkdirSync(dirname(screenshot), { recursive: true })
      await page.screenshot({ path: screenshot, animations: 'disabled' })
      const measured = (await page.evaluate(measureScript)) as Measured
      expect(measured.height, 'the page is at most 720 px tall').toBeLessThanOrEqual(projector.height)
      expect(measured.width, 'the page is at most 1280 px wide').toBeLessThanOrEqual(projector.width)
      expect(measured.smallest, 'no text under 18 px').toBeGreaterThanOrEqual(18)
      expect(measured.buttons.map((button) => button.name)).toEqual([
        'POST /login',
        'GET /me',
        'GET /visits',
        'POST /logout',
        'GET /',
        'GET /end',
        'Restart the server',
        'Cut MongoDB off',
        'Clear the sessions',
      ])
      for (const button of measured.buttons) {
        expect(button.top, `${button.name} in view`).toBeGreaterThanOrEqual(0)
        expect(button.bottom, `${button.name} in view`).toBeLessThanOrEqual(projector.height)
        expect(button.right, `${button.name} in view`).toBeLessThanOrEqual(projector.width)
      }
      // The cookie and its document are shown whole, and the three users' rows without scrolling.
      expect(measured.cookie.scroll).toBeLessThanOrEqual(measured.cookie.client)
      expect(measured.document.scroll).toBeLessThanOrEqual(measured.document.client)
      for (const name of ['ada', 'grace', 'linus']) {
        expect(measured.rows.find((row) => row.text?.includes(`name: ${name}`))?.inView, `${name}'s row in view`).toBe(
          true,
        )
      }
    } finally {
      await browser?.close()
      await demo.stop()
      await database.drop()
    }
  })
})

describe('npm run demo in headless Chromium', () => {
  // POSIX only: the test ends `npm run demo` with SIGINT (Ctrl+C) and expects exit code 0; on
  // Windows, child.kill('SIGINT') terminates the process at once, so there is nothing to check.
  it.skipIf(process.platform === 'win32')(
    'follows a session: created, still there after a server restart, ended, cleared (POSIX only: ends npm run demo with SIGINT)',
    { timeout: 120_000 },
    async () => {
      const database = await ownDatabase('browser', '-demo')
      const port = await freePort()
      const demo = spawn(process.execPath, [join(rootDir, 'tools', 'run.mjs'), 'demo'], {
        cwd: rootDir,
        env: { ...process.env, PORT: String(port), MONGO_URL: database.url },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let output = ''
      demo.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
      demo.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
      const exited = new Promise<number | null>((resolve) => demo.once('exit', (code) => resolve(code)))
      let browser: Browser | undefined

      try {
        await expect.poll(() => output, { timeout: 30_000, interval: 100 }).toContain('Inspector: http://localhost:')
        browser = await launchChromium()
        const page = await browser.newPage({ viewport: projector })
        await page.goto(`http://127.0.0.1:${port}/__inspector/`)
        await expect.poll(() => text(page, '#cookie-body'), soon).toContain('No connect.sid cookie')
        await expect.poll(() => text(page, '#rows'), soon).toContain('No sessions in the collection.')
        const press = async (name: string) => {
          await page.getByRole('button', { name, exact: true }).click()
          await expect.poll(() => page.locator('button:disabled').count(), soon).toBe(0)
        }

        // 1. GET /: the app sets the cookie, and the document appears.
        await press('GET /')
        await expect.poll(() => text(page, '#latest'), soon).toMatch(/^GET \/ 200 OK \d+ ms/)
        expect(await text(page, '#latest')).toContain('Cookie → none sent')
        expect(await text(page, '#latest')).toContain(`body ← {"uuid":"${uuid}"}`)
        await page.locator('#cookie-session-id').waitFor()
        const id = await text(page, '#cookie-session-id')
        expect(id).toMatch(/^[\w-]{32}$/)
        expect(await text(page, '#latest')).toContain(`Set-Cookie ← connect.sid=s:${id.slice(0, 8)}…; Path=/; Expires=`)
        await expect.poll(() => text(page, '#document-id'), soon).toBe(id)
        expect(await text(page, '#document-session')).toContain(uuid)
        expect(await database.sessions.findOne({ _id: id })).toMatchObject({
          _id: id,
          session: expect.stringContaining(uuid),
        })
        expect(await text(page, '#ttl-body')).toContain('expireAfterSeconds 0')
        await expect.poll(() => text(page, '#rows tr.mine'), soon).toContain(id.slice(0, 8))
        // `expires` counts down on the page, second by second.
        const first = await text(page, '.countdown')
        // (GET / stores a user in an anonymous session, which lasts hours: step 7.)
        expect(first).toMatch(/^in 1 h 59 min \d+ s$/)
        await expect.poll(() => text(page, '.countdown'), soon).not.toBe(first)

        // 2. Restart the server: a new process, the same session.
        const pidBefore = /process (\d+)/.exec(await text(page, '#server'))?.[1]
        expect(pidBefore).toBeDefined()
        await press('Restart the server')
        await expect
          .poll(() => text(page, '#server'), { ...soon, timeout: 30_000 })
          .toMatch(/^app: running · process \d+ · restarts: 1$/)
        expect(await text(page, '#server')).not.toContain(`process ${pidBefore} `)
        expect(await text(page, '#note')).toMatch(/^Restarted: process \d+ now\./)
        await press('GET /me')
        await expect.poll(() => text(page, '#latest'), soon).toMatch(/^GET \/me 200 OK/)
        expect(await text(page, '#latest')).toContain(`Cookie → connect.sid=s:${id.slice(0, 8)}…`)
        expect(await text(page, '#cookie-session-id')).toBe(id)
        expect(await database.sessions.countDocuments()).toBe(1)

        // 3. MongoDB cut off for the app: its answer is a 503 with Retry-After, and the page says
        // so beside the document it still reads on a connection of its own.
        await press('Cut MongoDB off')
        await expect.poll(() => text(page, '#mongodb'), soon).toBe('app ⇄ MongoDB: cut off')
        await press('GET /me')
        await expect.poll(() => text(page, '#latest'), soon).toMatch(/^GET \/me 503 Service Unavailable/)
        expect(await text(page, '#latest')).toMatch(/Retry-After ← \d+ \(seconds to wait\)/)
        expect(await page.locator('#document').getAttribute('class')).toContain('outage')
        expect(await text(page, '#document-caption')).toMatch(/^Outage: MongoDB refuses the app's connections/)
        expect(await text(page, '#document-id')).toBe(id)
        await press('Make MongoDB hang')
        await expect.poll(() => text(page, '#document-caption'), soon).toMatch(/^Outage: MongoDB hangs for the app/)
        await press('Bring MongoDB back')
        await expect.poll(() => text(page, '#mongodb'), soon).toBe('app ⇄ MongoDB: open')
        expect(await page.locator('#document').getAttribute('class')).not.toContain('outage')

        // 4. GET /end: the app destroys the session, clears the cookie, and the document is gone.
        await expect
          .poll(
            async () => {
              await press('GET /end')
              return text(page, '#latest .status')
            },
            { ...soon, interval: 500 },
          )
          .toBe('200 OK')
        expect(await text(page, '#latest')).toContain('body ← Session is destroyed')
        expect(await text(page, '#latest')).toContain(
          'Set-Cookie ← connect.sid=(empty); Path=/; Expires=Thu, 01 Jan 1970',
        )
        await expect.poll(() => text(page, '#cookie-body'), soon).toContain('No connect.sid cookie')
        await expect.poll(() => text(page, '#document-body'), soon).toContain('no session id')
        expect(await database.sessions.findOne({ _id: id })).toBeNull()

        // 5. Log in under another name, then clear the demo's sessions.
        await page.locator('#username').fill('grace')
        await press('POST /login')
        await expect.poll(() => text(page, '#rows'), soon).toContain('name: grace')
        await press('Clear the sessions')
        await expect.poll(() => text(page, '#note'), soon).toMatch(/^Deleted \d+ session documents?:/)
        await expect.poll(() => text(page, '#rows'), soon).toContain('No sessions in the collection.')
        expect(await database.sessions.countDocuments()).toBe(0)
      } finally {
        await browser?.close()
        demo.kill('SIGINT')
        const stuck = setTimeout(() => demo.kill('SIGKILL'), 10_000)
        const code = await exited
        clearTimeout(stuck)
        await database.drop()
        expect(code, `npm run demo should stop cleanly on Ctrl+C; it printed:\n${output}`).toBe(0)
      }
    },
  )
})

/** The text as the page shows it (CSS applied), on one line. */
async function text(page: Page, selector: string): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: the text as the room reads it, spaces between the cells
  return (await page.locator(selector).first().innerText({ timeout: 5_000 })).replace(/\s+/g, ' ').trim()
}

interface Measured {
  height: number
  width: number
  /** The smallest font size of any visible text, in CSS pixels. */
  smallest: number
  buttons: { name: string; top: number; bottom: number; right: number }[]
  cookie: { scroll: number; client: number }
  document: { scroll: number; client: number }
  /** Each row of the sessions table, and whether it shows without scrolling the table. */
  rows: { text: string; inView: boolean }[]
}

/** Runs in the page (plain JavaScript: the workshop's TypeScript has no DOM types). */
const measureScript = `(() => {
  const visible = (node) => {
    const box = node.getBoundingClientRect()
    return box.width > 0 && box.height > 0
  }
  const texts = [...document.querySelectorAll('body *')].filter(
    (node) => visible(node) && [...node.childNodes].some((child) => child.nodeType === Node.TEXT_NODE && child.textContent.trim()),
  )
  const panel = (id) => {
    const node = document.getElementById(id)
    return { scroll: node.scrollHeight, client: node.clientHeight }
  }
  const table = document.querySelector('#all .scroll').getBoundingClientRect()
  return {
    height: document.documentElement.scrollHeight,
    width: document.documentElement.scrollWidth,
    smallest: Math.min(...texts.map((node) => Number.parseFloat(getComputedStyle(node).fontSize))),
    buttons: [...document.querySelectorAll('button')].map((button) => {
      const box = button.getBoundingClientRect()
      return { name: button.textContent, top: box.top, bottom: box.bottom, right: box.right }
    }),
    cookie: panel('cookie'),
    document: panel('document'),
    rows: [...document.querySelectorAll('#rows tr')].map((row) => ({
      text: row.textContent,
      inView: row.getBoundingClientRect().bottom <= table.bottom + 1,
    })),
  }
})()`
