// The classroom's dev container (.devcontainer/), checked without Docker: the files parse, the
// services they name exist, the ports are forwarded, dependencies install on creation, MONGO_URL
// names the Compose service, and the Node.js image meets package.json's engines. Whether it starts
// is proven only where Docker runs.
import { existsSync, readFileSync } from 'node:fs'
import { basename, dirname, join, relative, resolve } from 'node:path'
import { ConnectionString } from 'mongodb-connection-string-url'
import { describe, expect, it } from 'vitest'
import { meetsRange } from '../../tools/lib/doctor-checks.js'
import { rootDir } from '../../tools/lib/steps.js'

interface DevContainer {
  dockerComposeFile: string | string[]
  service: string
  runServices?: string[]
  workspaceFolder: string
  forwardPorts?: (number | string)[]
  postCreateCommand?: string | string[]
}

const folder = join(rootDir, '.devcontainer')
const config = JSON.parse(withoutComments(readFileSync(join(folder, 'devcontainer.json'), 'utf8'))) as DevContainer
const composeFiles = [config.dockerComposeFile].flat().map((file) => resolve(folder, file))
/** Every service of the merged files, with the lines each file gives it. */
const services = new Map<string, string[]>()
for (const file of composeFiles)
  for (const [name, lines] of readServices(readFileSync(file, 'utf8')))
    services.set(name, [...(services.get(name) ?? []), ...lines])
const workspace = readServices(readFileSync(composeFiles.at(-1) ?? '', 'utf8')).get(config.service) ?? []

describe('.devcontainer', () => {
  it('adds its workspace service to the root docker-compose.yml, whose services it reuses', () => {
    expect(composeFiles[0], 'the root file comes first: its folder is where relative paths start').toBe(
      join(rootDir, 'docker-compose.yml'),
    )
    for (const file of composeFiles) expect(existsSync(file), file).toBe(true)
    expect(workspace, `service ${config.service} in ${composeFiles.at(-1)}`).not.toHaveLength(0)
    for (const name of [config.service, ...(config.runServices ?? [])])
      expect([...services.keys()], `service ${name}`).toContain(name)
    expect(services.get('mongo')).toContain('    image: mongo:8')
  })

  it('mounts the repository at workspaceFolder (volumes start from the root file’s folder)', () => {
    const mount = workspace.find((line) => /^ {6}- \S+:\/workspaces/.test(line))
    expect(mount, 'a volume mounted on /workspaces').toBeDefined()
    const [source = '', target = ''] = (mount ?? '').replace(/^ {6}- /, '').split(':')
    const inside = config.workspaceFolder.replace(/\$\{localWorkspaceFolderBasename\}/, basename(rootDir))
    expect(join(resolve(dirname(composeFiles[0] ?? ''), source), relative(target, inside))).toBe(rootDir)
  })

  it('forwards port 4000 (npm run step, npm run demo) and 8081 (mongo-express, a service it starts)', () => {
    const ports = config.forwardPorts ?? []
    expect(ports).toContain(4000)
    const ui = ports.find((port) => String(port).endsWith('8081'))
    expect(ui, 'a forwarded 8081').toBeDefined()
    if (typeof ui === 'string') {
      const service = ui.split(':')[0] ?? ''
      expect([...services.keys()]).toContain(service)
      expect(config.runServices, `${service} has a profile: it starts only when named`).toContain(service)
    }
  })

  it('installs the dependencies when the container is created', () => {
    expect([config.postCreateCommand].flat().join(' ')).toMatch(/^npm (install|ci)\b/)
  })

  it('sets MONGO_URL for the workspace to the mongo service, which is not on 127.0.0.1 there', () => {
    const line = workspace.find((text) => /^ {6}MONGO_URL: /.test(text)) ?? ''
    const url = new ConnectionString(line.replace(/^ {6}MONGO_URL: /, '').trim())
    expect(url.hosts).toEqual(['mongo:27017'])
    expect([...services.keys()]).toContain('mongo')
  })

  it('runs a Node.js whose major version meets package.json’s engines', () => {
    const image = workspace.find((line) => line.startsWith('    image: ')) ?? ''
    // Tags like 4-24-trixie (image version 4, Node.js 24), 24-bookworm or 24.
    const major = /:(?:\d+-)?(\d+)(?:-[a-z]+)?$/.exec(image.trim())?.[1]
    expect(major, image).toBeDefined()
    const { engines } = JSON.parse(readFileSync(join(rootDir, 'package.json'), 'utf8')) as { engines: { node: string } }
    // The image follows its major's newest release.
    expect(meetsRange(`v${major}.999.999`, engines.node), `Node.js ${major} against ${engines.node}`).toBe(true)
  })
})

/** JSON with comments (devcontainer.json allows them) to JSON: drops // and block comments outside strings. */
function withoutComments(text: string): string {
  let out = ''
  for (let index = 0; index < text.length; index++) {
    const char = text[index]
    if (char === '"') {
      const end = endOfString(text, index)
      out += text.slice(index, end)
      index = end - 1
    } else if (char === '/' && text[index + 1] === '/') {
      while (index < text.length && text[index] !== '\n') index++
      out += '\n'
    } else if (char === '/' && text[index + 1] === '*') {
      index = text.indexOf('*/', index + 2) + 1
    } else {
      out += char
    }
  }
  return out
}

function endOfString(text: string, start: number): number {
  let index = start + 1
  while (index < text.length && text[index] !== '"') index += text[index] === '\\' ? 2 : 1
  return index + 1
}

/**
 * A Compose file's services, each with its lines. Reads only the block style these files use (two
 * spaces per level), which is all the test needs; a file written otherwise yields no services and
 * fails the test rather than passing it.
 */
function readServices(yaml: string): Map<string, string[]> {
  const result = new Map<string, string[]>()
  let inServices = false
  let current: string[] | undefined
  for (const line of yaml.split('\n')) {
    if (/^\S/.test(line)) {
      inServices = /^services:\s*$/.test(line)
      current = undefined
    } else if (inServices) {
      const name = /^ {2}([\w.-]+):\s*$/.exec(line)?.[1]
      if (name) {
        current = []
        result.set(name, current)
      } else if (/^ {4}/.test(line)) current?.push(line.replace(/\s+#.*$/, ''))
    }
  }
  return result
}
