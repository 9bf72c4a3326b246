// A unified diff of two step folders (the learner's and the solution), file by file.
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff'
import type { Palette } from './color.js'
import { type FolderFiles, sameContent } from './starters.js'

export interface FileDiff {
  path: string
  /** The unified diff, without color. */
  patch: string
}

export function diffFolders(
  mine: FolderFiles,
  theirs: FolderFiles,
  mineLabel: string,
  theirsLabel: string,
): FileDiff[] {
  // The lesson and the hints live in the learner's folder only: the code is what there is to compare.
  const paths = [...new Set([...mine.keys(), ...theirs.keys()])].filter((path) => !path.endsWith('.md')).sort()
  const text = (files: FolderFiles, path: string) => files.get(path)?.toString('utf8').replace(/\r\n/g, '\n') ?? ''
  return paths
    .filter((path) => {
      const a = mine.get(path)
      const b = theirs.get(path)
      return !a || !b || !sameContent(a, b)
    })
    .map((path) => ({
      path,
      patch: createTwoFilesPatch(
        mine.has(path) ? `${mineLabel}/${path}` : '/dev/null',
        theirs.has(path) ? `${theirsLabel}/${path}` : '/dev/null',
        text(mine, path),
        text(theirs, path),
        undefined,
        undefined,
        { headerOptions: FILE_HEADERS_ONLY },
      ),
    }))
}

/** Colors a unified diff line by line: headers bold, hunks cyan, removals red, additions green. */
export function colorPatch(patch: string, colors: Palette): string {
  return patch
    .split('\n')
    .map((line) => {
      if (line.startsWith('---') || line.startsWith('+++')) return colors.bold(line)
      if (line.startsWith('@@')) return colors.cyan(line)
      if (line.startsWith('-')) return colors.red(line)
      if (line.startsWith('+')) return colors.green(line)
      return line
    })
    .join('\n')
}
