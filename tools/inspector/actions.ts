// The inspector's buttons: routes of the finished app, each from the step that adds it. The page
// shows the buttons of the step `npm run demo` runs. When a step adds a route, add a line here.
export interface Action {
  /** The first step whose app answers this route. */
  since: number
  method: 'GET' | 'POST'
  path: string
  /** Sent as JSON, for routes that read a body. */
  body?: Record<string, unknown>
  /** One line under the button, for the room. */
  explains: string
}

export const actions: Action[] = [
  { since: 4, method: 'GET', path: '/', explains: 'puts a user in the session and saves it' },
  { since: 4, method: 'GET', path: '/end', explains: 'destroys the session and clears the cookie' },
  {
    since: 5,
    method: 'POST',
    path: '/login',
    body: { username: 'ada' },
    explains: 'logs in: a new session id, the old session gone',
  },
  { since: 5, method: 'GET', path: '/me', explains: 'answers the logged-in user, or 401' },
  { since: 5, method: 'POST', path: '/logout', explains: 'destroys the session and clears the cookie' },
]

export function actionsFor(step: number, all: Action[] = actions): Action[] {
  return all.filter((action) => action.since <= step)
}
