// Watches a step's folder and calls back once per burst of saves. File-system events by default;
// polling (every 500 ms) for WSL and network drives, where those events do not arrive.
import { watch } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'

export interface FolderWatcher {
  close(): void
}

export interface WatchOptions {
  /** Compare modification times every intervalMs instead of listening for events. */
  poll?: boolean
  /** Saves closer together than this count as one (editors write a file in several steps). */
  debounceMs?: number
  intervalMs?: number
}

/** Only code counts: a save of README.md or an editor's swap file does not. */
export function isCodeFile(file: string | null): boolean {
  return file === null || /\.(ts|json)$/.test(file)
}

export function watchFolder(
  dir: string,
  options: WatchOptions,
  onChange: (file: string | null) => void,
): FolderWatcher {
  let closed = false
  let debounce: NodeJS.Timeout | undefined
  const changed = (file: string | null) => {
    if (closed || !isCodeFile(file)) return
    clearTimeout(debounce)
    debounce = setTimeout(() => {
      if (!closed) onChange(file)
    }, options.debounceMs ?? 150)
  }
  const source = options.poll
    ? startPolling(dir, options.intervalMs ?? 500, changed)
    : watch(dir, (_event, file) => changed(file))
  return {
    close: () => {
      closed = true
      clearTimeout(debounce)
      source.close()
    },
  }
}

/** A portable fallback: compares the files' modification times every intervalMs. */
function startPolling(dir: string, intervalMs: number, changed: (file: string | null) => void): { close(): void } {
  let previous: Map<string, number> | undefined
  let stopped = false
  const scan = async () => {
    const next = new Map<string, number>()
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      const info = await stat(join(dir, name)).catch(() => undefined)
      if (info?.isFile()) next.set(name, info.mtimeMs)
    }
    return next
  }
  const tick = async () => {
    const next = await scan()
    if (stopped) return
    if (previous) {
      for (const [name, mtime] of next) if (previous.get(name) !== mtime) changed(name)
    }
    previous = next
    timer = setTimeout(() => void tick(), intervalMs)
  }
  let timer = setTimeout(() => void tick(), 0)
  return {
    close: () => {
      stopped = true
      clearTimeout(timer)
    },
  }
}
