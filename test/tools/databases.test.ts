// Which database each learner gets: their own by default, so a room shares one server safely.
import { describe, expect, it } from 'vitest'
import {
  databaseLine,
  demoDatabase,
  learnerDatabase,
  learnerDatabaseName,
  safeUserName,
} from '../../tools/lib/databases.js'
import { roomOfThirty } from '../support/room.js'

describe('safeUserName', () => {
  it('keeps plain names, drops accents, lowers capitals and turns the rest into dashes', () => {
    expect(safeUserName('ada')).toBe('ada')
    expect(safeUserName('José María')).toBe('jose-maria')
    expect(safeUserName('Ada.Lovelace')).toBe('ada-lovelace')
    expect(safeUserName('dev/ops')).toBe('dev-ops')
    expect(safeUserName('priya$')).toBe('priya')
  })

  it('gives a name in another script a short hash of itself, so two such names stay apart', () => {
    expect(safeUserName('张伟')).toMatch(/^user-[0-9a-f]{8}$/)
    expect(safeUserName('张伟')).not.toBe(safeUserName('李娜'))
    expect(safeUserName('')).toBe('learner')
  })
})

describe('learnerDatabase', () => {
  it('derives test-app-<user name> when neither MONGO_URL nor WORKSHOP_DATABASE names one', () => {
    expect(learnerDatabase('mongodb://127.0.0.1:27017', {}, 'Ada.Lovelace')).toEqual({
      url: 'mongodb://127.0.0.1:27017/test-app-ada-lovelace',
      database: 'test-app-ada-lovelace',
      origin: 'user name',
    })
  })

  it('takes WORKSHOP_DATABASE instead, and the database MONGO_URL names over both', () => {
    expect(learnerDatabase('mongodb://127.0.0.1:27017', { WORKSHOP_DATABASE: 'lab-pc-12' }, 'student')).toMatchObject({
      database: 'lab-pc-12',
      origin: 'WORKSHOP_DATABASE',
    })
    expect(learnerDatabase('mongodb://db.example:27017/mine', { WORKSHOP_DATABASE: 'lab-pc-12' }, 'student')).toEqual({
      url: 'mongodb://db.example:27017/mine',
      database: 'mine',
      origin: 'MONGO_URL',
    })
  })

  it('refuses a WORKSHOP_DATABASE that MongoDB would not take, in one sentence', () => {
    expect(() => learnerDatabaseName({ WORKSHOP_DATABASE: 'my.db' })).toThrow(
      'WORKSHOP_DATABASE must be a database name of letters, digits, - and _ (at most 58), not "my.db": for example WORKSHOP_DATABASE=test-app-ada.',
    )
  })

  it('gives thirty learners thirty databases, each a name MongoDB accepts', () => {
    const names = roomOfThirty.map((user) => learnerDatabaseName({}, user).database)
    expect(new Set(names).size).toBe(30)
    for (const name of names) expect(name).toMatch(/^test-app-[a-z0-9_-]{1,40}$/)
    // MongoDB refuses two databases whose names differ only in case.
    expect(new Set(names.map((name) => name.toLowerCase())).size).toBe(30)
  })
})

describe('demoDatabase', () => {
  it("is the learner's name with -demo: never the learner's own database", () => {
    expect(demoDatabase('mongodb://127.0.0.1:27017', { WORKSHOP_DATABASE: 'test-app-ada' })).toEqual({
      url: 'mongodb://127.0.0.1:27017/test-app-ada-demo',
      database: 'test-app-ada-demo',
      origin: 'WORKSHOP_DATABASE',
    })
    expect(demoDatabase('mongodb://127.0.0.1:27017/mine', {}).database).toBe('mine-demo')
  })
})

describe('databaseLine', () => {
  it('says where the name came from', () => {
    expect(databaseLine({ url: '', database: 'test-app-ada', origin: 'user name' })).toBe(
      'database test-app-ada (from your user name)',
    )
    expect(databaseLine({ url: '', database: 'mine', origin: 'MONGO_URL' })).toBe('database mine (named in MONGO_URL)')
  })
})
