// Hints files: one ladder per 🐨 task, read from Markdown, and the task a hint should help with.
import { describe, expect, it } from 'vitest'
import { parseHints, taskInFocus } from '../../tools/lib/hints.js'
import type { Step } from '../../tools/lib/steps.js'

const hints = [
  '# Hints · 03 · Keep sessions in MongoDB',
  '',
  'Intro text with 💡 in it is not a rung.',
  '',
  '## 🐨 1 · store.ts: build the store',
  'Checked by: the sessions collection > holds one document per session',
  'Checked by: a restart > keeps the session',
  '',
  '1. 💡 Think about where sessions go.',
  '   It goes on here.',
  '2. 📖 `MongoStore.create(options)`: [README](https://github.com/jdesboeufs/connect-mongo)',
  '3. 💰 In `store.ts`:',
  '   ```ts store.ts: return MongoStore.create 🐨',
  '   return MongoStore.create({ mongoUrl })',
  '   ```',
  '',
  '## 🐨 2 · app.ts: use it',
  'Checked by: the sessions collection > holds one document per session',
  '',
  '1. 💡 A nudge.',
  '2. 📖 An API.',
  '3. 💰 The code.',
  '',
  '## Not a task',
  '',
  '1. 💡 ignored',
].join('\n')

describe('parseHints', () => {
  it('reads each task, its checks and its three rungs, continuation lines and code blocks included (a fence shows only its language)', () => {
    const tasks = parseHints(hints)
    expect(tasks.map((task) => [task.task, task.title])).toEqual([
      [1, 'store.ts: build the store'],
      [2, 'app.ts: use it'],
    ])
    expect(tasks[0]?.checkedBy).toEqual([
      'the sessions collection > holds one document per session',
      'a restart > keeps the session',
    ])
    expect(tasks[0]?.rungs).toEqual([
      '💡 Think about where sessions go.\nIt goes on here.',
      '📖 `MongoStore.create(options)`: [README](https://github.com/jdesboeufs/connect-mongo)',
      '💰 In `store.ts`:\n```ts\nreturn MongoStore.create({ mongoUrl })\n```',
    ])
    expect(tasks[1]?.rungs).toHaveLength(3)
  })
})

describe('taskInFocus', () => {
  const step = { name: '03-mongo-store' } as Step
  const tasks = parseHints(hints)

  it('follows the first failing check of the step, to the first of its tasks not fully shown', () => {
    const failing = ['03-mongo-store › the sessions collection > holds one document per session']
    expect(taskInFocus(tasks, failing, step, {})?.task).toBe(1)
    expect(taskInFocus(tasks, failing, step, { '1': 3 })?.task).toBe(2)
  })

  it("ignores other steps' checks, and without a verdict takes the first task with rungs left", () => {
    expect(taskInFocus(tasks, ['01-bare-express › GET /health > answers 200 with JSON'], step, {})?.task).toBe(1)
    expect(taskInFocus(tasks, [], step, { '1': 3 })?.task).toBe(2)
  })

  it('takes a type error to the tasks of the file it is in', () => {
    const failing = ['03-mongo-store › TypeScript > the folder type-checks']
    expect(taskInFocus(tasks, failing, step, {}, ['app.ts'])?.task).toBe(2)
    expect(taskInFocus(tasks, failing, step, {}, ['store.ts'])?.task).toBe(1)
    // A file no task names: the first task with rungs left.
    expect(taskInFocus(tasks, failing, step, { '1': 3 }, ['other.ts'])?.task).toBe(2)
  })
})
