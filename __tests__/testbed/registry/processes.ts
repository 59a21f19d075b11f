// Test helpers: which processes a test bed (identified by its temp folder) or a process tree still runs.
// Linux only (reads /proc), like the Debian docker-registry the test bed runs.
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { registryProcessPattern } from './distribution.js'

/** PIDs of registry processes whose command line names a file under `dir` (their config). */
export const registryProcessesUnder = (dir: string): string[] =>
  spawnSync('pgrep', ['-f', registryProcessPattern(dir)], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter(Boolean)

/** "pid (comm) STATE PPID ..." from /proc/<pid>/stat, read after the last ')' (comm may hold spaces). */
function stateAndParent(pid: number | string): { state: string; ppid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return { state, ppid: Number(ppid) }
  } catch {
    return undefined // Gone while we looked.
  }
}

/** A zombie has ended (it only waits to be reaped): it runs no more and writes nothing. */
const running = (state: string | undefined): boolean => state !== undefined && state !== 'Z' && state !== 'X'

/** True while `pid` runs: it exists and is not a zombie. */
export const isAlive = (pid: number): boolean => running(stateAndParent(pid)?.state)

/** PIDs of every running process below `root`. */
export function descendantsOf(root: number): number[] {
  const parents = new Map<number, number>()
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    const info = stateAndParent(name)
    if (info && running(info.state)) parents.set(Number(name), info.ppid)
  }
  const found: number[] = []
  const queue = [root]
  while (queue.length) {
    const parent = queue.shift()!
    for (const [pid, ppid] of parents) {
      if (ppid === parent) {
        found.push(pid)
        queue.push(pid)
      }
    }
  }
  return found
}
