// Text for people: how long until a session expires, and a plain table for the terminal.
// The duration format is the page's own (page/duration.js), so both say the same.
import { formatDuration } from './page/duration.js'

export { formatDuration }

/** "13 d 23 h 59 min", "expired 2 min 5 s ago", or "no date" when `expires` is not a date. */
export function expiresIn(expiresAt: number | null, now: number): string {
  if (expiresAt === null) return 'no date'
  const left = expiresAt - now
  return left >= 0 ? formatDuration(left) : `expired ${formatDuration(left)} ago`
}

export interface Column {
  header: string
  align?: 'left' | 'right'
}

/** Columns padded to their widest cell, a rule under the header. */
export function table(columns: Column[], rows: string[][]): string {
  const widths = columns.map((column, index) =>
    Math.max(column.header.length, ...rows.map((row) => (row[index] ?? '').length)),
  )
  const line = (cells: string[]) =>
    cells
      .map((cell, index) =>
        columns[index]?.align === 'right' ? cell.padStart(widths[index] ?? 0) : cell.padEnd(widths[index] ?? 0),
      )
      .join('  ')
      .trimEnd()
  return [
    line(columns.map((column) => column.header)),
    line(widths.map((width) => '─'.repeat(width))),
    ...rows.map(line),
  ].join('\n')
}
