// The inspector's buttons: each route exists in the finished app of the step that adds it, and in
// the last step's app (the one `npm run demo` runs); INSTRUCTOR.md names exactly those.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Express } from 'express'
import session from 'express-session'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { actions, actionsFor } from '../../tools/inspector/actions.js'
import { listSteps, rootDir } from '../../tools/lib/steps.js'

const steps = listSteps()

async function finishedApp(number: number): Promise<Express> {
  const step = steps.find((candidate) => candidate.number === number)
  if (!step) throw new Error(`no step ${number}`)
  const { createApp } = (await import(pathToFileURL(join(step.solutionDir, 'app.ts')).href)) as {
    createApp(options: { secret: string; store?: session.Store; articleRoutes?: boolean }): Express
  }
  // As server.ts builds it outside production, where the article's routes are on.
  return createApp({ secret: 'inspector actions', store: new session.MemoryStore(), articleRoutes: true })
}

describe('the inspector actions', () => {
  it.each(actions.map((action) => [`${action.method} ${action.path}`, action] as const))(
    '%s is a route of its step and of the last step',
    async (_name, action) => {
      for (const number of new Set([action.since, steps.at(-1)?.number ?? action.since])) {
        const app = await finishedApp(number)
        const call =
          action.method === 'GET'
            ? request(app).get(action.path)
            : request(app)
                .post(action.path)
                .send(action.body ?? {})
        expect(
          (await call).status,
          `solutions of step ${number} should answer ${action.method} ${action.path}`,
        ).not.toBe(404)
      }
    },
  )

  it('shows a step only the routes it has', () => {
    expect(actionsFor(4).map((action) => action.path)).toEqual(['/', '/end'])
    expect(actionsFor(5).map((action) => action.path)).toEqual(['/login', '/me', '/logout', '/', '/end'])
    expect(actionsFor(7).map((action) => action.path)).toEqual(['/login', '/me', '/visits', '/logout', '/', '/end'])
  })

  it("INSTRUCTOR.md's section on the inspector names exactly the page's buttons", () => {
    const guide = readFileSync(join(rootDir, 'INSTRUCTOR.md'), 'utf8')
    const start = guide.indexOf('## The session inspector')
    expect(start).toBeGreaterThanOrEqual(0)
    const section = guide.slice(start, guide.indexOf('\n## ', start + 1))
    const routes = new Set(
      [...section.matchAll(/`(GET|POST) (\/[\w/]*)`/g)].map(([, method, path]) => `${method} ${path}`),
    )
    const last = steps.at(-1)?.number ?? 0
    expect(routes).toEqual(new Set(actionsFor(last).map((action) => `${action.method} ${action.path}`)))
    const page = readFileSync(join(rootDir, 'tools', 'inspector', 'page', 'index.html'), 'utf8')
    for (const label of ['Restart the server', 'Clear the sessions']) {
      expect(section).toContain(`"${label}"`)
      expect(page).toContain(`>${label}</button>`)
    }
  })
})
