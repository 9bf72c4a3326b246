import { describe, expect, it } from 'vitest'
import { hintsInCode, hintsInMarkdown } from '../../tools/lib/hints.js'

describe('hintsInMarkdown', () => {
  it('finds 💰 list items and paragraphs, with their continuation lines and code blocks', () => {
    const lesson = [
      '# 03 · Keep sessions in MongoDB',
      '',
      'Why: 💰 in the middle of a sentence is not a hint.',
      '',
      '## Hints',
      '',
      '- 💰 Use `MongoStore.create`:',
      '  ```ts',
      '  MongoStore.create({ mongoUrl })',
      '  ```',
      '- 💰 The second one',
      '  goes on here.',
      '- An ordinary item',
      '',
      '💰 A paragraph hint',
      'that goes on.',
      '',
      '```ts',
      'const ttl = 14 * 24 * 60 * 60',
      '```',
      '',
      'Text after the hints.',
    ].join('\n')
    expect(hintsInMarkdown(lesson)).toEqual([
      '💰 Use `MongoStore.create`:\n```ts\nMongoStore.create({ mongoUrl })\n```',
      '💰 The second one\ngoes on here.',
      '💰 A paragraph hint\nthat goes on.\n\n```ts\nconst ttl = 14 * 24 * 60 * 60\n```',
    ])
  })

  it('reads Windows line endings and finds nothing in a lesson without 💰', () => {
    expect(hintsInMarkdown('- 💰 one\r\n- 💰 two\r\n')).toEqual(['💰 one', '💰 two'])
    expect(hintsInMarkdown('# 01 · Title\n\nNo hints here.\n')).toEqual([])
  })
})

describe('hintsInCode', () => {
  it('finds // 💰 comments with the indented comment lines that continue them', () => {
    const source = [
      '  // 🐨 GET / : put the user in the session.',
      "  // 💰 req.session.user = { uuid: '1' }",
      '  //    req.session.save(next)',
      '  // 💰 res.clearCookie(name)',
      '  // an ordinary comment',
    ].join('\n')
    expect(hintsInCode(source)).toEqual([
      "💰 req.session.user = { uuid: '1' }\nreq.session.save(next)",
      '💰 res.clearCookie(name)',
    ])
  })
})
