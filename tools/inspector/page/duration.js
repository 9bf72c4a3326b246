// How long until a session expires, in words: one format for the page's countdown (inspector.js)
// and the terminal's `npm run sessions` (tools/inspector/format.ts). Plain JavaScript: the browser
// loads it as it is.

/** 1_209_600_000 → "14 d 0 h 0 min"; seconds are shown when asked, or when under an hour. */
export function formatDuration(ms, withSeconds = false) {
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
