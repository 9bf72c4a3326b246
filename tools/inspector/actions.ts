// The inspector's buttons: routes of the finished app, each from the step that adds it. The page
// shows the buttons of the step `npm run demo` runs. When a step adds a route, add a line here.
export interface Action {
  /** The first step whose app answers this route. */
  since: number
  method: 'GET' | 'POST'
  path: string
  /** Sent as JSON, for routes that read a body. */
  body?: Record<string, unknown>
  /** The body's `username` comes from the page's name field (the body holds its default). */
  named?: boolean
  /** One line for the room, shown with the request when the button is pressed. */
  explains: string
}

export const actions: Action[] = [
  {
    since: 5,
    method: 'POST',
    path: '/login',
    body: { username: 'ada' },
    named: true,
    explains: 'logs in: a new session id, the old session gone (session fixation)',
  },
  { since: 5, method: 'GET', path: '/me', explains: 'answers the logged-in user from the session, or 401' },
  { since: 7, method: 'GET', path: '/visits', explains: 'counts this visit in the session: a write on every request' },
  { since: 5, method: 'POST', path: '/logout', explains: 'destroys the session and clears the cookie' },
  { since: 4, method: 'GET', path: '/', explains: "the article's route: puts a fixed user in the session" },
  { since: 4, method: 'GET', path: '/end', explains: "the article's route: destroys the session, clears the cookie" },
]

export function actionsFor(step: number, all: Action[] = actions): Action[] {
  return all.filter((action) => action.since <= step)
}
