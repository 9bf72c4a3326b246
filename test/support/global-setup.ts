// Finds MongoDB once per test run (the same resolver as `npm run step`) and hands its URL to
// every check file. An embedded server started here is the workspace's: it outlives the run.
import type { TestProject } from 'vitest/node'
import { type ResolvedMongo, resolveMongo } from '../../tools/lib/mongo.js'

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUrl: string
  }
}

let mongo: ResolvedMongo | undefined

export async function setup(project: TestProject): Promise<void> {
  mongo = await resolveMongo()
  project.provide('mongoUrl', mongo.url)
}

export async function teardown(): Promise<void> {
  await mongo?.stop()
}
