// Single-key commands for guided mode. On a terminal the keys act at once (raw mode; Ctrl+C still
// quits). From a pipe, each character counts as a key, newlines aside; the end of input means quit.
export interface KeyListener {
  close(): void
}

export function listenForKeys(
  input: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown },
  onKey: (key: string) => void,
  onEnd: () => void,
): KeyListener {
  const raw = Boolean(input.isTTY && input.setRawMode)
  if (raw) input.setRawMode?.(true)
  const onData = (chunk: Buffer | string) => {
    for (const character of chunk.toString()) {
      if (character === '\u0003' || character === '\u0004')
        onKey('q') // Ctrl+C, Ctrl+D
      else if (character !== '\n' && character !== '\r') onKey(character.toLowerCase())
    }
  }
  input.on('data', onData)
  input.once('end', onEnd)
  input.resume()
  return {
    close: () => {
      input.off('data', onData)
      input.off('end', onEnd)
      if (raw) input.setRawMode?.(false)
      input.pause()
    },
  }
}
