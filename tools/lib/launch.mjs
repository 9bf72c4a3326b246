// Runs a TypeScript file the way `node --import tsx file.ts` does, but starts faster: the heavy
// packages it needs are loaded first by Node alone, and tsx's loader, which slows down every
// module it sees, is registered only afterwards. Plain JavaScript on purpose: it loads TypeScript.

import { pathToFileURL } from 'node:url'
import { register } from 'tsx/esm/api'

/**
 * Imports target (a .ts file) after preloading packages. The target sees the command line it
 * would have seen run directly: process.argv[1] is itself, followed by args.
 */
export async function launch(target, preload, args) {
  process.argv.splice(1, process.argv.length - 1, target, ...args)
  // A package that fails to load here fails again, with its real error, when the target imports it.
  await Promise.all(preload.map((name) => import(name).catch(() => {})))
  register()
  await import(pathToFileURL(target).href)
}
