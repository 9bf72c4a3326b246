// TypeScript source without its comments and with its whitespace squeezed: what the code says,
// so that two files can be compared for what they do, whatever their comments say.

/** Removes // and /* *\/ comments (not inside strings, template literals or regular expressions) and squeezes whitespace. */
export function codeOf(source: string): string {
  let out = ''
  let i = 0
  // The last character that is code: a / after one of these starts a regular expression, not a division.
  let last = ''
  const regexAfter = new Set([
    '',
    '(',
    ',',
    '=',
    ':',
    '[',
    '!',
    '&',
    '|',
    '?',
    '{',
    '}',
    ';',
    '+',
    '-',
    '*',
    '%',
    '<',
    '>',
    '~',
    '^',
  ])
  while (i < source.length) {
    const c = source[i] ?? ''
    const next = source[i + 1] ?? ''
    if (c === '/' && next === '/') {
      while (i < source.length && source[i] !== '\n') i++
      continue
    }
    if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2)
      i = end < 0 ? source.length : end + 2
      out += ' '
      continue
    }
    if (c === "'" || c === '"' || c === '`') {
      const end = endOfString(source, i)
      out += source.slice(i, end)
      i = end
      last = c
      continue
    }
    if (c === '/' && regexAfter.has(last)) {
      const end = endOfRegex(source, i)
      out += source.slice(i, end)
      i = end
      last = '/'
      continue
    }
    out += c
    if (!/\s/.test(c)) last = c
    i++
  }
  return out
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join('\n')
    .replace(/[ \t]+/g, ' ')
}

/** The index just after the string, or template literal, that starts at start. */
function endOfString(source: string, start: number): number {
  const quote = source[start]
  let i = start + 1
  while (i < source.length) {
    const c = source[i]
    if (c === '\\') {
      i += 2
      continue
    }
    if (c === quote) return i + 1
    if (quote === '`' && c === '$' && source[i + 1] === '{') {
      // A template's ${…}: skip to its matching brace, over nested strings.
      let depth = 1
      i += 2
      while (i < source.length && depth > 0) {
        const d = source[i]
        if (d === "'" || d === '"' || d === '`') {
          i = endOfString(source, i)
          continue
        }
        if (d === '{') depth++
        if (d === '}') depth--
        i++
      }
      continue
    }
    i++
  }
  return i
}

/** The index just after the regular expression literal (and its flags) that starts at start. */
function endOfRegex(source: string, start: number): number {
  let i = start + 1
  let inClass = false
  while (i < source.length && source[i] !== '\n') {
    const c = source[i]
    if (c === '\\') {
      i += 2
      continue
    }
    if (c === '[') inClass = true
    else if (c === ']') inClass = false
    else if (c === '/' && !inClass) {
      i++
      while (/[a-z]/i.test(source[i] ?? '')) i++
      return i
    }
    i++
  }
  return i
}
