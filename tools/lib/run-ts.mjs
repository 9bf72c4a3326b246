// Runs a TypeScript file the way `node --import tsx file.ts` does, but starts faster: the packages
// its folder imports (express, mongodb…) are loaded first by Node alone, and tsx's loader, which
// slows down every module it sees, is registered only afterwards. Plain JavaScript on purpose:
// it is what loads TypeScript.
//   node tools/lib/run-ts.mjs <file.ts> [args…]
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const target = resolve(process.argv[2] ?? '')
// The target sees the command line it would have seen run directly: `process.argv[1]` is itself.
process.argv.splice(1, 2, target)

/** The packages ("express", "connect-mongo") that the .ts files beside target import. */
function packagesImported(dir) {
  const found = new Set()
  let files = []
  try {
    files = readdirSync(dir).filter((name) => name.endsWith('.ts'))
  } catch {
    return found
  }
  for (const file of files) {
    const source = readFileSync(join(dir, file), 'utf8')
    for (const [, specifier] of source.matchAll(/\bfrom\s+['"]([^'"./][^'"]*)['"]/g)) {
      if (specifier.startsWith('node:')) continue
      // "mongodb", "@scope/name", or a subpath of either.
      const parts = specifier.split('/')
      found.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0])
    }
  }
  return found
}

// A package that fails to load here fails again, with its real error, when the target imports it.
await Promise.all([...packagesImported(dirname(target))].map((name) => import(name).catch(() => {})))
const { register } = await import('tsx/esm/api')
register()
await import(pathToFileURL(target).href)
