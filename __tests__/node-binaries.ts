// The two Node versions the bundles must run on. Under `npm test`, npm puts node_modules/.bin first on PATH, so a
// plain `node` there is the `node` devDependency (Node 24) and Node 20, the machine's own, has to be found past
// node_modules. Both are checked to be what they claim, so a test that says "Node 20" never runs on 24.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { delimiter, join } from 'node:path'

const repoRoot = join(import.meta.dirname, '..')

function majorOf(binary: string): number {
  return Number(
    execFileSync(binary, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' }).trim()
  )
}

function checked(binary: string, major: number): string {
  const found = majorOf(binary)
  if (found !== major) throw new Error(`${binary} is Node ${found}, not Node ${major}`)
  return binary
}

/** The machine's own Node 20, found on PATH past every node_modules folder. */
export const NODE_20 = checked(
  (process.env.PATH ?? '')
    .split(delimiter)
    .filter((folder) => folder && !folder.includes('node_modules'))
    .map((folder) => join(folder, 'node'))
    .find((path) => existsSync(path)) ?? 'node',
  20
)

/** Node 24, the npm package `node@24` (a real binary), as GitHub runs actions. */
export const NODE_24 = checked(join(repoRoot, 'node_modules', 'node', 'bin', 'node'), 24)
