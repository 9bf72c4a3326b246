// A browser, reduced to what a session needs: one cookie jar of one cookie, and every status it
// saw. The load test (test/load/) and the memory benchmark (npm run bench) drive the finished
// server's routes with it: POST /login, GET /me, POST /logout.

const cookieName = 'connect.sid'

export class SessionClient {
  cookie = ''
  statuses: number[] = []
  networkErrors: string[] = []

  constructor(private readonly base: () => string) {}

  /** One request; its status is kept, and so is the session cookie it sets. Never throws. */
  async call(method: string, path: string, body?: unknown): Promise<Response | undefined> {
    try {
      const response = await fetch(`${this.base()}${path}`, {
        method,
        headers: { cookie: this.cookie, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(15_000),
      })
      this.statuses.push(response.status)
      const set = response.headers.getSetCookie().find((line) => line.startsWith(`${cookieName}=`))
      if (set) this.cookie = set.split(';')[0] ?? ''
      await response.arrayBuffer()
      return response
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code
      this.networkErrors.push(`${method} ${path}: ${(error as Error).name} ${cause ?? (error as Error).message}`)
      return undefined
    }
  }

  /** The session id inside the signed cookie (`s:<id>.<signature>`). */
  get sessionId(): string | undefined {
    return /^s:([^.]+)\./.exec(decodeURIComponent(this.cookie.slice(`${cookieName}=`.length)))?.[1]
  }
}

/**
 * A whole session: logs in as `name`, reads GET /me `reads` times, and when `end` is set logs out
 * and sees GET /me answer 401. `ok`: every answer was the one expected. An ended client's cookie
 * becomes `connect.sid=ended-<id>`, keeping the id for a look inside MongoDB.
 */
export async function liveASession(
  base: () => string,
  name: string,
  end: boolean,
  reads = 3,
): Promise<{ client: SessionClient; ok: boolean }> {
  const client = new SessionClient(base)
  const login = await client.call('POST', '/login', { username: name })
  let ok = login?.status === 200
  for (let read = 0; read < reads; read++) ok = (await client.call('GET', '/me'))?.status === 200 && ok
  if (end) {
    const id = client.sessionId
    ok = ((await client.call('POST', '/logout'))?.status ?? 0) < 300 && ok
    ok = (await client.call('GET', '/me'))?.status === 401 && ok
    client.cookie = `${cookieName}=ended-${id ?? ''}`
  }
  return { client, ok }
}
