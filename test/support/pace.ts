// How fast this machine and this MongoDB are while the checks run, and the time limits that follow:
// a check never blames the learner's code for a busy machine or a database far away. Limits grow
// with what was measured; an answer that comes late is said to be late (and why), not wrong.
import { performance } from 'node:perf_hooks'
import type { MongoClient } from 'mongodb'

export interface Pace {
  /** One MongoDB round trip (a ping on an open connection), in ms; 0 when no database is used. */
  mongoMs: number
  /** How many times longer than on a quiet laptop a fixed piece of work takes here: 1 or more. */
  busy: number
}

/** What the fixed piece of work below takes on a quiet laptop, in ms. */
const quietWorkMs = 1.6
/** A MongoDB on this machine or the local network answers a ping in a few ms; beyond this it is far. */
const nearMongoMs = 30
/** A round trip this long (200 ms each way and more) makes the checks too slow to be fair: say so first. */
export const tooFarMongoMs = 500

const sample = {
  rows: Array.from({ length: 200 }, (_, i) => ({ id: i, name: `name${i}`, tags: ['x', 'y', 'z'], n: i * 1.5 })),
}

/** Ordinary JavaScript work (what express and the driver do: objects, strings, JSON), a few ms of it. */
function work(): number {
  let total = 0
  for (let i = 0; i < 10; i++) total += (JSON.parse(JSON.stringify(sample)) as typeof sample).rows.length
  return total
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}

/** How busy this machine is now: the median of a few timings of the same work, against a quiet laptop's. */
export function measureBusy(): number {
  work() // the first runs compile it
  work()
  const times: number[] = []
  for (let i = 0; i < 7; i++) {
    const began = performance.now()
    work()
    times.push(performance.now() - began)
  }
  return Math.max(1, median(times) / quietWorkMs)
}

/** One MongoDB round trip now: the median of three pings on the client's open connection. */
export async function measureMongo(client: MongoClient): Promise<number> {
  const admin = client.db('admin')
  await admin.command({ ping: 1 }) // opens the connection, if it is not open yet
  const times: number[] = []
  for (let i = 0; i < 3; i++) {
    const began = performance.now()
    await admin.command({ ping: 1 })
    times.push(performance.now() - began)
  }
  return median(times)
}

let current: Pace = { mongoMs: 0, busy: 1 }
let mongo: MongoClient | undefined

/** The connection whose round trips measurePace() times from now on (undefined: none). */
export function trackMongo(client: MongoClient | undefined): void {
  mongo = client
}

/** The last measurement (a quiet machine and no database until one was made). */
export function pace(): Pace {
  return current
}

/** Measures again: the machine, and MongoDB through the tracked connection when there is one. */
export async function measurePace(): Promise<Pace> {
  const busy = measureBusy()
  const mongoMs = mongo ? await measureMongo(mongo).catch(() => current.mongoMs) : 0
  current = { busy, mongoMs }
  return current
}

/**
 * A time limit for something that takes `baseMs` on a quiet machine with MongoDB close by, plus
 * `roundTrips` trips to MongoDB: stretched by how busy the machine is, lengthened by each trip.
 */
export function limit(baseMs: number, roundTrips = 0, now: Pace = current): number {
  return Math.round(baseMs * now.busy + roundTrips * now.mongoMs)
}

/** What makes this run slow, in words for a sentence ("MongoDB answers a ping in 310 ms here"), or ''. */
export function slowness(now: Pace = current): string {
  const parts: string[] = []
  if (now.mongoMs > nearMongoMs) {
    parts.push(
      `MongoDB answers a ping in ${Math.round(now.mongoMs)} ms here (one on this machine answers in under 5 ms)`,
    )
  }
  if (now.busy >= 2) {
    parts.push(
      `this machine is busy: a piece of work that takes ${quietWorkMs} ms on a quiet laptop took ${Math.round(now.busy * quietWorkMs)} ms`,
    )
  }
  return parts.join(', and ')
}

/** What would make the run faster, for the slowness named. */
export function remedy(now: Pace = current): string {
  const parts: string[] = []
  if (now.mongoMs > nearMongoMs) parts.push('a MongoDB closer by (`npm run db:up` starts one on this machine)')
  if (now.busy >= 2) parts.push('fewer programs running beside the checks')
  return parts.join(' and ')
}
