// The session inspector's page. It polls /__inspector/state every second; each poll carries this
// browser's cookies, which the inspector reads and sends back (the session cookie is HttpOnly:
// scripts cannot read it). Polling rather than server-sent events for that reason: an event stream
// would keep the cookie it was opened with. Buttons run the app's routes from this same origin,
// so the browser stores the cookie they set. Everything from the server is shown as text, never as HTML.
const statePath = '/__inspector/state'
const restartPath = '/__inspector/restart'
const outagePath = '/__inspector/outage'
const pollEveryMs = 1000

let clockOffset = 0 // the server's clock minus this one, so countdowns agree with MongoDB's dates
let shownActions = ''
const shownPanels = new Map()

const byId = (id) => document.getElementById(id)

/** Builds an element: el('span', { className: 'id' }, 'text', otherNode). */
function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props)
  node.append(...children.filter((child) => child !== null && child !== undefined))
  return node
}

// The same format as tools/inspector/format.ts (the terminal's `npm run sessions`).
function formatDuration(ms, withSeconds) {
  const total = Math.floor(Math.abs(ms) / 1000)
  const days = Math.floor(total / 86400)
  const hours = Math.floor((total % 86400) / 3600)
  const minutes = Math.floor((total % 3600) / 60)
  const seconds = total % 60
  const parts =
    days > 0
      ? [`${days} d`, `${hours} h`, `${minutes} min`]
      : hours > 0
        ? [`${hours} h`, `${minutes} min`]
        : minutes > 0
          ? [`${minutes} min`]
          : []
  if (withSeconds || total < 3600) parts.push(`${seconds} s`)
  return parts.join(' ')
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

function tick() {
  for (const node of document.querySelectorAll('[data-expires]')) {
    const expiresAt = Number(node.dataset.expires)
    node.textContent = expiresIn(expiresAt, node.dataset.seconds === 'yes')
    node.closest('.countdown')?.classList.toggle('expired', expiresAt < Date.now() + clockOffset)
  }
}

/** Replaces a panel's content, and flashes the panel when what it shows has changed. */
function fill(panelId, key, ...children) {
  const body = byId(`${panelId}-body`) ?? byId(panelId)
  const before = shownPanels.get(panelId)
  if (before === key) return
  shownPanels.set(panelId, key)
  body.replaceChildren(...children)
  if (before !== undefined) {
    const panel = byId(panelId).closest('.panel') ?? byId(panelId)
    panel.classList.remove('changed')
    void panel.offsetWidth // restart the animation
    panel.classList.add('changed')
  }
}

function renderCookie(cookie) {
  if (!cookie) {
    fill('cookie', 'none', el('p', { className: 'empty' }, 'No connect.sid cookie. Press GET / and the app sets one.'))
    return
  }
  const decoded = cookie.sessionId
    ? el(
        'code',
        {},
        's:',
        el('span', { className: 'id' }, cookie.sessionId),
        el('span', { className: 'quiet' }, `.${cookie.signature}`),
      )
    : el('code', {}, cookie.value)
  fill(
    'cookie',
    cookie.raw,
    el(
      'dl',
      {},
      el('dt', {}, 'name'),
      el('dd', {}, el('code', {}, cookie.name)),
      el('dt', {}, 'value sent'),
      el('dd', {}, el('code', {}, cookie.raw)),
      el('dt', {}, 'decoded'),
      el('dd', {}, decoded),
      el('dt', {}, 'session id'),
      el(
        'dd',
        { id: 'cookie-session-id' },
        cookie.sessionId ? el('code', { className: 'id' }, cookie.sessionId) : 'none: the value is not signed',
      ),
    ),
    el(
      'p',
      { className: 'quiet' },
      'Signed: s: + session id + . + signature (an HMAC with the secret). HttpOnly: page scripts cannot read it; the inspector reads the Cookie header this page sends.',
    ),
  )
}

function renderDocument(state) {
  const { cookie, snapshot } = state
  byId('document-where').textContent =
    `database ${state.database}, collection ${state.collection}, the document whose _id is the session id`
  if (!snapshot) {
    fill('document', 'unknown', el('p', { className: 'empty' }, 'MongoDB did not answer.'))
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
        el('code', { className: 'id' }, cookie.sessionId),
        ': the session was destroyed or has expired. The next request starts a new one.',
      ),
    )
  } else {
    const found = snapshot.document
    fill(
      'document',
      found.ejson,
      el('p', { className: 'countdown' }, 'expires in ', countdown(found.expiresAt, true)),
      el('pre', { id: 'document-json' }, found.ejson),
      found.session === null
        ? null
        : el(
            'p',
            { className: 'quiet' },
            el('code', {}, 'session'),
            ', parsed from the JSON string connect-mongo stores:',
          ),
      found.session === null ? null : el('pre', {}, JSON.stringify(found.session, null, 2)),
    )
  }
}

function renderTtl(snapshot) {
  if (!snapshot) return
  const index = snapshot.ttlIndex
  if (!index) {
    fill(
      'ttl',
      'none',
      el(
        'p',
        { className: 'empty' },
        "No TTL index yet: connect-mongo creates it (autoRemove: 'native') once the collection exists.",
      ),
    )
    return
  }
  fill(
    'ttl',
    JSON.stringify(index),
    el(
      'dl',
      {},
      el('dt', {}, 'name'),
      el('dd', {}, el('code', {}, index.name)),
      el('dt', {}, 'key'),
      el('dd', {}, el('code', {}, JSON.stringify(index.key))),
      el('dt', {}, 'expireAfterSeconds'),
      el('dd', { id: 'ttl-seconds' }, el('code', {}, String(index.expireAfterSeconds))),
    ),
    el(
      'p',
      { className: 'quiet' },
      'MongoDB deletes a document once its expires date is past; its TTL monitor runs every 60 s.',
    ),
  )
}

function renderSessions(state) {
  const { snapshot, cookie } = state
  if (!snapshot) return
  const shown = snapshot.sessions.length
  byId('count').textContent = `(${snapshot.total}${snapshot.total > shown ? `, newest ${shown} shown` : ''})`
  const key = JSON.stringify([snapshot.sessions, cookie?.sessionId])
  if (shownPanels.get('rows') === key) return
  shownPanels.set('rows', key)
  const rows = snapshot.sessions.map((row) => {
    const mine = row.id === cookie?.sessionId
    return el(
      'tr',
      { className: mine ? 'mine' : '' },
      el('td', { className: 'mono' }, row.id, mine ? ' ◀ this browser' : ''),
      el('td', {}, row.user ?? '—'),
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

function renderServer(app) {
  const badge = byId('server')
  badge.className = `badge ${app.state}`
  const restarts = `restarts: ${app.restarts}`
  if (app.state === 'running') badge.textContent = `server: running · process ${app.pid} · ${restarts}`
  else if (app.state === 'starting') badge.textContent = `server: starting… · ${restarts}`
  else badge.textContent = `server: stopped · ${restarts}`
}

/** The outage button's label and the MongoDB badge, after what the switch did last. */
const outageButton = { up: 'Cut MongoDB off', refused: 'Make MongoDB hang', hung: 'Bring MongoDB back' }
const outageBadge = { up: 'MongoDB: reachable', refused: 'MongoDB: cut off (refused)', hung: 'MongoDB: hangs' }

function renderOutage(state) {
  const button = byId('outage')
  button.hidden = state === null
  byId('outage-says').hidden = state === null
  const badge = byId('mongodb')
  badge.hidden = state === null
  if (state === null) return
  button.textContent = outageButton[state] ?? state
  badge.className = `badge ${state === 'up' ? 'running' : 'stopped'}`
  badge.textContent = outageBadge[state] ?? state
}

function renderActions(actions) {
  const key = JSON.stringify(actions)
  if (key === shownActions) return
  shownActions = key
  byId('actions').replaceChildren(
    ...actions.map((action) => {
      const button = el('button', { type: 'button', className: 'route' }, `${action.method} ${action.path}`)
      button.addEventListener('click', () => void run(action))
      return el('div', { className: 'action' }, button, el('small', {}, action.explains))
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
  byId('where').textContent =
    `step ${state.step.number} · ${state.step.title} · ${state.step.folder} · MongoDB ${state.database}.${state.collection}`
  renderServer(state.app)
  renderOutage(state.outage)
  renderActions(state.actions)
  showProblem(
    state.error ??
      (state.app.problem ? `The workshop server stopped: ${state.app.problem}. Press "Restart the server".` : null),
  )
  renderCookie(state.cookie)
  renderDocument(state)
  renderTtl(state.snapshot)
  renderSessions(state)
}

async function poll() {
  try {
    const response = await fetch(statePath, { cache: 'no-store' })
    if (!response.ok) throw new Error(`HTTP ${response.status}`)
    render(await response.json())
  } catch (error) {
    showProblem(`The inspector does not answer (${error.message}): is npm run demo still running?`)
  }
}

/** Disables every button while a request runs, so clicks do not overlap. */
async function busy(work) {
  const buttons = [...document.querySelectorAll('button')]
  for (const button of buttons) button.disabled = true
  try {
    await work()
  } finally {
    for (const button of buttons) button.disabled = false
    await poll()
  }
}

function run(action) {
  return busy(async () => {
    const last = byId('last')
    const request = `${action.method} ${action.path}`
    try {
      const init = { method: action.method, cache: 'no-store' }
      if (action.body)
        Object.assign(init, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(action.body) })
      const response = await fetch(action.path, init)
      const text = await response.text()
      last.textContent = `${request} → ${response.status} ${response.statusText}   ${text.length > 300 ? `${text.slice(0, 300)}…` : text}`
    } catch (error) {
      last.textContent = `${request} failed: ${error.message}`
    }
  })
}

function restart() {
  return busy(async () => {
    const last = byId('last')
    last.textContent = 'Restarting the server: SIGTERM to the old process, then a new one…'
    renderServer({ state: 'starting', restarts: '…' })
    try {
      const response = await fetch(restartPath, { method: 'POST', headers: { 'x-inspector': 'restart' } })
      const answer = await response.json()
      last.textContent = response.ok
        ? `Restarted: the server is process ${answer.pid} now. Sessions live in MongoDB, so they are all still there.`
        : `The restart failed: ${answer.error}`
    } catch (error) {
      last.textContent = `The restart failed: ${error.message}`
    }
  })
}

function switchOutage() {
  return busy(async () => {
    const last = byId('last')
    try {
      const response = await fetch(outagePath, { method: 'POST', headers: { 'x-inspector': 'outage' } })
      const answer = await response.json()
      last.textContent = response.ok ? answer.says : `The switch failed: ${answer.error}`
      if (response.ok) renderOutage(answer.state)
    } catch (error) {
      last.textContent = `The switch failed: ${error.message}`
    }
  })
}

byId('restart').addEventListener('click', () => void restart())
byId('outage').addEventListener('click', () => void switchOutage())
setInterval(tick, 250)
async function loop() {
  await poll()
  setTimeout(() => void loop(), pollEveryMs)
}
void loop()
