// The checks judge code, not the distance to MongoDB: with every byte to and from MongoDB held
// 150 ms each way (a cluster on another continent), the finished workshop passes all its checks,
// and a route that never answers is still named.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CheckSummary } from '../../tools/lib/check-reporter.js'
import { runChecks } from '../../tools/lib/run-checks.js'
import { listSteps, rootDir, type Step } from '../../tools/lib/steps.js'
import { mongoTarget, startTcpProxy, type TcpProxy, throughProxy } from '../../tools/lib/tcp-proxy.js'
import { mongoUrl } from '../support/workshop.js'

const steps = listSteps()
const last = steps.at(-1) as Step
const visits = steps.find((step) => step.slug === 'store-costs') as Step
const silent = join(rootDir, '.workshop', 'far-mongo-silent-visits')

let proxy: TcpProxy
let finished: CheckSummary
let broken: CheckSummary

beforeAll(async () => {
  proxy = await startTcpProxy(mongoTarget(mongoUrl()), { delayMs: 150 })
  // The finished server with a GET /visits that never answers: the learner's mistake to name.
  rmSync(silent, { recursive: true, force: true })
  mkdirSync(silent, { recursive: true })
  cpSync(last.solutionDir, silent, { recursive: true })
  const route = readFileSync(join(silent, 'visits.ts'), 'utf8')
  const answer = 'res.json({ visits: req.session.visits })'
  if (route.split(answer).length !== 2) throw new Error(`visits.ts of ${last.name} should hold ${answer} once`)
  writeFileSync(join(silent, 'visits.ts'), route.replace(answer, ''))
  // The checks mostly wait on MongoDB here, so more check files run at once than there are cores.
  ;[finished, broken] = (await runChecks(
    [
      { step: last, dir: last.solutionDir },
      { step: last, dir: silent, files: [visits.checkFile], firstFailureOnly: true },
    ],
    steps,
    { mongoUrl: throughProxy(mongoUrl(), proxy), workers: 5 },
  )) as [CheckSummary, CheckSummary]
}, 600_000)

afterAll(async () => {
  await proxy?.close()
  rmSync(silent, { recursive: true, force: true })
})

describe('MongoDB 150 ms away in each direction', () => {
  it(`solutions/${last.name} passes every check`, () => {
    expect(finished.failures.map((failure) => failure.sentence)).toEqual([])
    expect(finished.passed).toBeGreaterThan(50)
  })

  it('a GET /visits that never answers is named, not blamed on MongoDB', () => {
    expect(broken.failures[0]?.sentence).toMatch(
      /^🚨 GET \/visits got no answer within [\d.]+ s: every route must answer/,
    )
  })
})
