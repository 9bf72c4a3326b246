// npm run sessions: the sessions collection as a table (id, user, expires in, size), read only,
// from the same MongoDB and database as `npm run step` (the learner's own, databases.ts).
import { expiresIn, table } from './inspector/format.js'
import { SessionReader, sessionsCollection } from './inspector/reader.js'
import { learnerDatabase } from './lib/databases.js'
import { noOptions, runMain, UserError } from './lib/errors.js'
import { resolveMongo } from './lib/mongo.js'

runMain(async () => {
  noOptions('npm run sessions', 'MONGO_URL chooses the server and database')
  // The embedded MongoDB keeps its data on disk: started again if need be, it shows the sessions it had.
  const mongo = await resolveMongo()
  const { url, database } = learnerDatabase(mongo.url)
  const where = `${database}.${sessionsCollection} on ${mongo.description}`

  const reader = new SessionReader(url, database)
  let rows: Awaited<ReturnType<SessionReader['sessions']>>
  try {
    rows = await reader.sessions()
  } catch (error) {
    throw new UserError(
      `MongoDB stopped answering while reading ${where} (${error instanceof Error ? error.message : String(error)}): check that it still runs, then try again.`,
    )
  } finally {
    await reader.close()
  }

  if (rows.length === 0) {
    console.log(
      `No sessions in ${where} yet: open http://localhost:4000/ while a step from 3 on runs (\`npm run step 4\`, say), which stores one, then run this again; \`npm run demo\` keeps its sessions in a database of its own.`,
    )
    return 0
  }
  const now = Date.now()
  console.log(`${rows.length} session${rows.length === 1 ? '' : 's'} in ${where}, most recently renewed first:\n`)
  console.log(
    table(
      [{ header: 'id' }, { header: 'user' }, { header: 'expires in' }, { header: 'size', align: 'right' }],
      rows.map((row) => [row.id, row.user ?? '—', expiresIn(row.expiresAt, now), `${row.size} B`]),
    ),
  )
  return 0
})
