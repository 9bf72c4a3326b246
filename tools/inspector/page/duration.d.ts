/** 1_209_600_000 → "14 d 0 h 0 min"; seconds are shown when asked, or when under an hour. */
export function formatDuration(ms: number, withSeconds?: boolean): string
