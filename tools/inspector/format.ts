// Text for people: how long until a session expires, and a plain table for the terminal.
// tools/inspector/page/inspector.js has the same duration format for the page's countdown.

/** 1_209_600_000 → "14 d 0 h 0 min"; seconds are shown when asked, or when under an hour. */
export function formatDuration(ms: number, withSeconds = false): string {
  const total = Math.floor(Math.abs(ms) / 1000)
  const days = Math.floor(total / 86_400)
  const hours = Math.floor((total % 86_400) / 3600)
  const minutes = Math.floor((total % 3600) / 60)
  const seconds = total % 60
  const parts =
    days > 0
      ? [`${days} d`, `${hours} h`, `${minutes} min`]
      : hours > 0
        ? [`${hours} h`, `${minutes} min`]
        : minutes > 0
          ? [`${minutes} min`]
          : []
  if (withSeconds || total < 3600) parts.push(`${seconds} s`)
  return parts.join(' ')
}

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
