// The session inspector's page. It polls /__inspector/state every second; each poll carries this
// browser's cookies, which the inspector reads and sends back (the session cookie is HttpOnly:
// scripts cannot read it). Polling rather than server-sent events for that reason: an event stream
// would keep the cookie it was opened with. Buttons run the app's routes from this same origin,
// so the browser stores the cookie they set; the inspector's proxy notes each request (its time,
// the Cookie it carried, the Set-Cookie it got: both hidden from scripts) and the poll brings the
// notes back. Everything from the server is shown as text, never as HTML.
import { formatDuration } from './duration.js'

const statePath = '/__inspector/state'
const restartPath = '/__inspector/restart'
const outagePath = '/__inspector/outage'
const clearPath = '/__inspector/clear'
const pollEveryMs = 1000

let clockOffset = 0 // the server's clock minus this one, so countdowns agree with MongoDB's dates
let shownActions = ''
let actions = []
let polls = 0
let rendered = 0
let clearable = false
const shownPanels = new Map()

const byId = (id) => document.getElementById(id)

/** Builds an element: el('span', { className: 'id' }, 'text', otherNode). */
function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props)
  node.append(...children.filter((child) => child !== null && child !== undefined && child !== false))
  return node
}

function expiresIn(expiresAt, withSeconds) {
  if (expiresAt === null) return 'no date'
  const left = expiresAt - (Date.now() + clockOffset)
  return left >= 0 ? formatDuration(left, withSeconds) : `expired ${formatDuration(left, withSeconds)} ago`
}

/** A text that counts down to `expiresAt` (see tick()). */
function countdown(expiresAt, withSeconds) {
  const node = el('span', { className: 'expires' }, expiresIn(expiresAt, withSeconds))
  if (expiresAt !== null) node.dataset.expires = String(expiresAt)
  if (withSeconds) node.dataset.seconds = 'yes'
  return node
}

/** 38 → "38 ms", 1234 → "1.23 s". */
function took(ms) {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(2)} s`
}

/** A text that counts up from `since` while a request waits (see tick()). */
function waiting(since) {
  const node = el('span', { className: 'ms' }, `waiting ${took(Math.max(0, Date.now() + clockOffset - since))}…`)
  node.dataset.since = String(since)
  return node
}

function tick() {
  const now = Date.now() + clockOffset
  for (const node of document.querySelectorAll('[data-expires]')) {
    const expiresAt = Number(node.dataset.expires)
    node.textContent = expiresIn(expiresAt, node.dataset.seconds === 'yes')
    node.closest('.countdown')?.classList.toggle('expired', expiresAt < now)
  }
  for (const node of document.querySelectorAll('[data-since]')) {
    node.textContent = `waiting ${took(Math.max(0, now - Number(node.dataset.since)))}…`
  }
}

/** Replaces a panel's content, and flashes the panel when what it shows has changed. */
function fill(panelId, key, ...children) {
  const body = byId(`${panelId}-body`) ?? byId(panelId)
  const before = shownPanels.get(panelId)
  if (before === key) return
  shownPanels.set(panelId, key)
  body.replaceChildren(...children.filter((child) => child !== null && child !== undefined))
  if (before !== undefined) {
    const panel = byId(panelId).closest('.panel') ?? byId(panelId)
    panel.classList.remove('changed')
    void panel.offsetWidth // restart the animation
    panel.classList.add('changed')
  }
}

/** The first characters of a session id, as the table and the request log show it. */
function short(id, length = 8) {
  return id.length > length ? `${id.slice(0, length)}…` : id
}

function safeDecode(text) {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/** "connect.sid=s%3Aabc.sig; Path=/; HttpOnly" → its parts, the value decoded. */
function cookieParts(header) {
  const [pair = '', ...attributes] = header.split(';').map((part) => part.trim())
  const equals = pair.indexOf('=')
  const value = safeDecode(pair.slice(equals + 1))
  const signed = /^s:([^.]+)\.(.+)$/.exec(value)
  return { name: pair.slice(0, equals), value, id: signed?.[1] ?? null, attributes }
}

/** connect.sid=s:abcdefgh… (the id marked), or the value as it is. */
function cookieValue(parts) {
  if (parts.id) return el('span', {}, `${parts.name}=s:`, el('span', { className: 'id' }, short(parts.id)))
  return `${parts.name}=${parts.value === '' ? '(empty)' : parts.value}`
}

function renderCookie(cookie) {
  if (!cookie) {
    fill(
      'cookie',
      'none',
      el(
        'p',
        { className: 'empty' },
        'No connect.sid cookie: this browser has no session. Log in and the app sets one.',
      ),
    )
    return
  }
  fill(
    'cookie',
    cookie.raw,
    el(
      'p',
      { className: 'mono', id: 'cookie-value' },
      `${cookie.name}=`,
      cookie.sessionId
        ? el(
            'span',
            {},
            's:',
            el('span', { className: 'id', id: 'cookie-session-id' }, cookie.sessionId),
            el('span', { className: 'quiet' }, `.${cookie.signature}`),
          )
        : el('span', {}, cookie.value, el('span', { className: 'quiet' }, ' (not signed: the app ignores it)')),
    ),
  )
}

/** The outage, in one sentence under the document's title; null when the app reaches MongoDB. */
const outageCaption = {
  refused:
    "Outage: MongoDB refuses the app's connections, so its session routes answer 503. This page reads MongoDB on a connection of its own: the app cannot see this.",
  hung: 'Outage: MongoDB hangs for the app, so a session route waits for its time limit, then answers 503. This page reads MongoDB on a connection of its own.',
}

function renderDocument(state) {
  const { cookie, snapshot } = state
  const outage = state.outage && state.outage !== 'up' ? state.outage : null
  byId('document').classList.toggle('outage', outage !== null)
  byId('document-caption').textContent =
    outageCaption[outage] ??
    `In ${state.database}.${state.collection}: _id is the cookie's session id; session is ${
      snapshot?.document && snapshot.document.session === null
        ? 'not JSON (encrypted at rest?), shown as stored'
        : 'a JSON string (shown parsed)'
    }.`
  if (!snapshot) {
    fill('document', 'unknown', el('p', { className: 'empty' }, 'MongoDB does not answer the inspector either.'))
  } else if (!cookie?.sessionId) {
    fill(
      'document',
      'no-cookie',
      el('p', { className: 'empty' }, 'The browser sends no session id, so there is no document to look up.'),
    )
  } else if (!snapshot.document) {
    fill(
      'document',
      `missing:${cookie.sessionId}`,
      el(
        'p',
        { className: 'empty' },
        'No document with _id ',
        el('code', { className: 'id' }, short(cookie.sessionId)),
        ': the session was destroyed or has expired. The cookie opens nothing now.',
      ),
    )
  } else {
    const found = snapshot.document
    const stored = JSON.parse(found.ejson)
    const rest = Object.entries(stored).filter(([key]) => !['_id', 'expires', 'session'].includes(key))
    const session = found.session
    fill(
      'document',
      found.ejson,
      el(
        'dl',
        { id: 'document-fields' },
        el('dt', {}, '_id'),
        el('dd', {}, el('code', { className: 'id', id: 'document-id' }, found.id)),
        el('dt', {}, 'expires'),
        el('dd', { className: 'countdown' }, 'in ', countdown(found.expiresAt, true)),
        ...rest.flatMap(([key, value]) => [el('dt', {}, key), el('dd', { className: 'mono' }, literal(value))]),
      ),
      session && typeof session === 'object'
        ? el(
            'div',
            { id: 'document-session', className: 'mono session' },
            // The user first: what the app put there; the cookie's settings after it.
            ...Object.entries(session)
              .sort(([a], [b]) => Number(a === 'cookie') - Number(b === 'cookie'))
              .map(([key, value]) => el('p', {}, el('b', {}, `session.${key}: `), literal(value))),
          )
        : el(
            'p',
            { id: 'document-session', className: 'mono body' },
            el('b', {}, 'session: '),
            typeof stored.session === 'string' ? stored.session : literal(stored.session),
          ),
    )
  }
}

/** A value on one line as JavaScript writes it ({name: "ada"}); Extended JSON dates ({"$date": …}) as the date. */
function literal(value) {
  if (value && typeof value === 'object' && '$date' in value) return `Date ${value.$date}`
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`
  if (value && typeof value === 'object') {
    const keys = Object.entries(value).map(([key, inner]) => {
      const name = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key)
      return `${name}: ${literal(inner)}`
    })
    return `{${keys.join(', ')}}`
  }
  return JSON.stringify(value)
}

function renderTtl(snapshot) {
  if (!snapshot) return
  const index = snapshot.ttlIndex
  byId('ttl-body').textContent = index
    ? `TTL index ${index.name} (expireAfterSeconds ${index.expireAfterSeconds}): MongoDB deletes a document once its expires is past, checking every 60 s.`
    : "No TTL index yet: connect-mongo creates it (autoRemove: 'native') once the collection exists."
}

function renderSessions(state) {
  const { snapshot, cookie } = state
  if (!snapshot) return
  const shown = snapshot.sessions.length
  const yours = snapshot.sessions.some((row) => row.id === cookie?.sessionId) ? '; yours marked' : ''
  byId('count').textContent = `(${snapshot.total}${snapshot.total > shown ? `, newest ${shown} shown` : ''}${yours})`
  const key = JSON.stringify([snapshot.sessions, cookie?.sessionId])
  if (shownPanels.get('rows') === key) return
  shownPanels.set('rows', key)
  const rows = snapshot.sessions.map((row) => {
    const mine = row.id === cookie?.sessionId
    return el(
      'tr',
      { className: mine ? 'mine' : '', title: row.id },
      el('td', { className: 'mono' }, short(row.id)),
      el('td', { className: 'wraps' }, row.user ?? '—'),
      el('td', {}, countdown(row.expiresAt, false)),
      el('td', { className: 'number' }, `${row.size} B`),
    )
  })
  byId('rows').replaceChildren(
    ...(rows.length
      ? rows
      : [el('tr', {}, el('td', { colSpan: 4, className: 'empty' }, 'No sessions in the collection.'))]),
  )
}

function statusClass(status) {
  if (status === null) return 'status'
  return `status ${status < 400 ? 'ok' : status < 500 ? 'client' : 'fail'}`
}

function explains(exchange) {
  const path = exchange.path.split('?')[0]
  return actions.find((action) => action.method === exchange.method && action.path === path)?.explains ?? null
}

/** What a Set-Cookie does, in a word, for the one-line rows: the new id's first characters, or cleared. */
function cookieChange(setCookie) {
  const header = setCookie.find((one) => one.startsWith('connect.sid='))
  if (!header) return '—'
  const parts = cookieParts(header)
  return parts.id ? parts.id.slice(0, 4) : 'cleared'
}

function sentCookie(exchange) {
  if (!exchange.cookieSent) return 'none'
  const parts = cookieParts(exchange.cookieSent)
  return parts.id ? parts.id.slice(0, 4) : short(parts.value, 4)
}

/** The nodes given, without the empty ones, a space between each two. */
function spaced(...nodes) {
  return nodes.filter(Boolean).flatMap((node, index) => (index === 0 ? [node] : [' ', node]))
}

function latestExchange(exchange) {
  const headers = [
    el('dt', {}, 'Cookie →'),
    el('dd', {}, exchange.cookieSent ? cookieValue(cookieParts(exchange.cookieSent)) : 'none sent'),
    ...(exchange.setCookie.length
      ? exchange.setCookie.flatMap((header) => {
          const parts = cookieParts(header)
          return [
            el('dt', {}, 'Set-Cookie ←'),
            el(
              'dd',
              {},
              cookieValue(parts),
              el('span', { className: 'attributes' }, `; ${parts.attributes.join('; ')}`),
            ),
          ]
        })
      : [el('dt', {}, 'Set-Cookie ←'), el('dd', {}, 'none')]),
    ...(exchange.instance ? [el('dt', {}, 'X-Instance ←'), el('dd', {}, exchange.instance)] : []),
    ...(exchange.retryAfter
      ? [el('dt', {}, 'Retry-After ←'), el('dd', {}, `${exchange.retryAfter} (seconds to wait)`)]
      : []),
    ...(exchange.status !== null
      ? [el('dt', {}, 'body ←'), el('dd', { className: 'body' }, exchange.body === '' ? '(empty)' : exchange.body)]
      : []),
    ...(exchange.error ? [el('dt', {}, 'failed'), el('dd', {}, exchange.error)] : []),
  ]
  const why = explains(exchange)
  return el(
    'div',
    { className: 'latest', id: 'latest' },
    el(
      'div',
      { className: 'exchange-head' },
      // Spaces between the parts, so the line also reads well as text (copied, or read aloud).
      ...spaced(
        el('span', { className: 'request' }, `${exchange.method} ${exchange.path}`),
        exchange.status === null
          ? null
          : el('span', { className: statusClass(exchange.status) }, `${exchange.status} ${exchange.statusText}`),
        exchange.ms === null ? waiting(exchange.at) : el('span', { className: 'ms' }, took(exchange.ms)),
        exchange.instance ? el('span', { className: 'instance' }, `instance ${exchange.instance}`) : null,
      ),
    ),
    why ? el('p', { className: 'caption' }, why) : null,
    el('dl', { className: 'headers' }, ...headers),
  )
}

/** The requests before the newest, a line each; the instance column only when several answer. */
function olderExchanges(list, instances) {
  if (list.length === 0) return null
  const several = instances > 1
  return el(
    'table',
    { className: 'older' },
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        el('th', {}, 'request'),
        el('th', {}, 'answer'),
        several ? el('th', { title: 'X-Instance: which instance answered' }, 'inst') : null,
        el('th', {}, 'Cookie'),
        el('th', {}, 'Set-Cookie'),
      ),
    ),
    el(
      'tbody',
      {},
      ...list.map((exchange) =>
        el(
          'tr',
          {},
          el('td', { className: 'mono' }, `${exchange.method} ${exchange.path}`),
          el(
            'td',
            {},
            el(
              'span',
              { className: statusClass(exchange.status) },
              exchange.status === null ? '' : `${exchange.status} `,
            ),
            exchange.ms === null ? waiting(exchange.at) : took(exchange.ms),
          ),
          several ? el('td', {}, exchange.instance ?? '—') : null,
          el('td', { className: 'mono', title: exchange.cookieSent ?? '' }, sentCookie(exchange)),
          el('td', { className: 'mono', title: exchange.setCookie.join('\n') }, cookieChange(exchange.setCookie)),
        ),
      ),
    ),
  )
}

function renderExchanges(exchanges, instances) {
  const key = JSON.stringify([exchanges, instances])
  if (shownPanels.get('exchanges') === key) return
  shownPanels.set('exchanges', key)
  const [latest, ...older] = exchanges
  byId('exchanges').replaceChildren(
    ...(latest
      ? [latestExchange(latest), olderExchanges(older, instances)].filter(Boolean)
      : [el('p', { className: 'empty' }, 'No request yet.')]),
  )
}

function renderServer(app, instances) {
  const badge = byId('server')
  badge.className = `badge ${app.state}`
  const restarts = `restarts: ${app.restarts}`
  if (instances > 1) {
    const each = app.instances.map((one) => `${one.name}${one.state === 'running' ? '' : ` ${one.state}`}`).join(' ')
    badge.textContent = `app: ${instances} instances (${each}) · ${restarts}`
  } else {
    const pid = app.instances[0]?.pid
    badge.textContent = `app: ${app.state}${pid ? ` · process ${pid}` : ''} · ${restarts}`
  }
}

/** The outage button's label and the MongoDB badge, after what the switch did last. */
const outageButton = { up: 'Cut MongoDB off', refused: 'Make MongoDB hang', hung: 'Bring MongoDB back' }
const outageBadge = {
  up: 'app ⇄ MongoDB: open',
  refused: 'app ⇄ MongoDB: cut off',
  hung: 'app ⇄ MongoDB: hangs',
}

function renderOutage(state) {
  const button = byId('outage')
  button.hidden = state === null
  const badge = byId('mongodb')
  badge.hidden = state === null
  if (state === null) return
  button.textContent = outageButton[state] ?? state
  badge.className = `badge ${state === 'up' ? 'running' : 'stopped'}`
  badge.textContent = outageBadge[state] ?? state
}

function renderClear(state) {
  clearable = state.canClear
  const says = byId('clear-says')
  byId('clear').disabled = !clearable || byId('clear').dataset.busy === 'yes'
  says.hidden = clearable
  says.textContent = clearable
    ? ''
    : `Off: ${state.database} also holds the sessions of npm run step; the demo empties only a database of its own.`
}

function renderActions(list) {
  actions = list
  const key = JSON.stringify(list)
  if (key === shownActions) return
  shownActions = key
  const login = list.find((action) => action.named)
  byId('login').hidden = !login
  // Off in the page as served, until the routes are known.
  byId('login').querySelector('button').disabled = false
  byId('actions').replaceChildren(
    ...list
      .filter((action) => !action.named)
      .map((action) => {
        const button = el(
          'button',
          { type: 'button', className: 'route', title: action.explains },
          `${action.method} ${action.path}`,
        )
        button.addEventListener('click', () => void run(action))
        return button
      }),
  )
}

function showProblem(text) {
  const problem = byId('problem')
  problem.hidden = !text
  problem.textContent = text ?? ''
}

function render(state) {
  clockOffset = state.now - Date.now()
  byId('where').textContent = `step ${state.step.number} · ${state.step.title} · ${state.step.folder}`
  renderServer(state.app, state.instances)
  renderOutage(state.outage)
  renderClear(state)
  renderActions(state.actions)
  showProblem(
    state.error ??
      (state.app.problem ? `The workshop server stopped: ${state.app.problem}. Press "Restart the server".` : null),
  )
  renderCookie(state.cookie)
  renderDocument(state)
  renderTtl(state.snapshot)
  renderSessions(state)
  renderExchanges(state.exchanges, state.instances)
}

async function poll() {
  const mine = ++polls
  try {
    const response = await fetch(statePath, { cache: 'no-store' })
    if (!response.ok) throw new Error(`HTTP ${response.status}`)
    const state = await response.json()
    // Polls overlap (the timer, and one after each button): never show an older answer over a newer one.
    if (mine < rendered) return
    rendered = mine
    render(state)
  } catch (error) {
    showProblem(`The inspector does not answer (${error.message}): is npm run demo still running?`)
  }
}

/** Disables every button while a request runs, so clicks do not overlap. */
async function busy(work) {
  const buttons = [...document.querySelectorAll('button')]
  for (const button of buttons) button.disabled = true
  byId('clear').dataset.busy = 'yes'
  // The request log shows a request that waits, with its time counting up.
  const early = setTimeout(() => void poll(), 150)
  try {
    await work()
  } finally {
    clearTimeout(early)
    // The answer on screen first, then the buttons on again.
    await poll()
    for (const button of buttons) button.disabled = false
    byId('clear').dataset.busy = 'no'
    byId('clear').disabled = !clearable
  }
}

/** What the last demo button did, above the request log (a route's button clears it). */
function note(text) {
  byId('note').hidden = !text
  byId('note').textContent = text
}

function run(action, body = action.body) {
  return busy(async () => {
    note('')
    try {
      const init = { method: action.method, cache: 'no-store' }
      if (body) Object.assign(init, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      // Read to the end, so the proxy's note (shown in the request log) has the time taken.
      await (await fetch(action.path, init)).arrayBuffer()
    } catch (error) {
      note(`${action.method} ${action.path} failed: ${error.message}`)
    }
  })
}

function restart() {
  return busy(async () => {
    note('Restarting the server: SIGTERM to each process, then a new one…')
    try {
      const response = await fetch(restartPath, { method: 'POST', headers: { 'x-inspector': 'restart' } })
      const answer = await response.json()
      const pids = answer.instances?.map((one) => one.pid).join(', ')
      note(
        response.ok
          ? `Restarted: process ${pids} now. The sessions live in MongoDB, so they are all still there.`
          : `The restart failed: ${answer.error}`,
      )
    } catch (error) {
      note(`The restart failed: ${error.message}`)
    }
  })
}

function switchOutage() {
  return busy(async () => {
    try {
      const response = await fetch(outagePath, { method: 'POST', headers: { 'x-inspector': 'outage' } })
      const answer = await response.json()
      note(response.ok ? answer.says : `The switch failed: ${answer.error}`)
      if (response.ok) renderOutage(answer.state)
    } catch (error) {
      note(`The switch failed: ${error.message}`)
    }
  })
}

function clearSessions() {
  return busy(async () => {
    try {
      const response = await fetch(clearPath, { method: 'POST', headers: { 'x-inspector': 'clear' } })
      const answer = await response.json()
      note(
        response.ok
          ? `Deleted ${answer.deleted} session document${answer.deleted === 1 ? '' : 's'}: a cookie still held opens nothing now.`
          : `Clearing failed: ${answer.error}`,
      )
    } catch (error) {
      note(`Clearing failed: ${error.message}`)
    }
  })
}

byId('login').addEventListener('submit', (event) => {
  event.preventDefault()
  const login = actions.find((action) => action.named)
  if (login) void run(login, { ...login.body, username: byId('username').value })
})
byId('restart').addEventListener('click', () => void restart())
byId('outage').addEventListener('click', () => void switchOutage())
byId('clear').addEventListener('click', () => void clearSessions())
setInterval(tick, 250)
async function loop() {
  await poll()
  setTimeout(() => void loop(), pollEveryMs)
}
void loop()
