// Runs a step's server.ts (or any TypeScript file) as `node --import tsx file.ts` would, with the
// packages its folder imports (express, mongodb…) loaded first, outside tsx (launch.mjs).
//   node tools/lib/run-ts.mjs <file.ts> [args…]
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { launch } from './launch.mjs'

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

const target = resolve(process.argv[2] ?? '')
await launch(target, [...packagesImported(dirname(target))], process.argv.slice(3))
