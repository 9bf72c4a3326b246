// Colors for a terminal, and none for a file or a pipe. NO_COLOR (https://no-color.org) turns them
// off, FORCE_COLOR on.
export interface Palette {
  red(text: string): string
  green(text: string): string
  cyan(text: string): string
  bold(text: string): string
  dim(text: string): string
}

export function useColor(
  stream: NodeJS.WriteStream = process.stdout,
  env: Record<string, string | undefined> = process.env,
): boolean {
  if (env.NO_COLOR) return false
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true
  return Boolean(stream.isTTY) && (stream.hasColors?.() ?? false)
}

export function palette(enabled: boolean): Palette {
  const style = (open: number, close: number) => (text: string) =>
    enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text
  return { red: style(31, 39), green: style(32, 39), cyan: style(36, 39), bold: style(1, 22), dim: style(2, 22) }
}
