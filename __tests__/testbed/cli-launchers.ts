// The processes that launched the CLI, so that it can stop when they are gone. `npm run testbed` runs
// npm -> sh -c -> tsx's CLI -> node (the CLI). A service manager stops it by signalling npm's PID, but npm
// forwards only SIGINT and SIGTERM, and only to its child (`sh -c`, which dies of SIGTERM without passing it
// on); SIGHUP ends npm alone. tsx's CLI forwards SIGINT and SIGTERM to node, not SIGHUP. Either way the CLI
// and its registries would be left running, so the CLI watches its launchers instead. Linux only (reads /proc),
// like the Debian docker-registry the test bed runs.
import { readFileSync } from 'node:fs'

export interface Launcher {
  pid: number
  /** Start time in clock ticks since boot (field 22 of /proc/<pid>/stat): tells a reused PID apart. */
  startTime: string
}

interface ProcessInfo extends Launcher {
  ppid: number
  cmdline: string
  startedByNpmRun: boolean
}

function processInfo(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // "pid (comm) state ppid ...": comm may hold spaces, so read after the last ')'; field N is at N - 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    if (fields[0] === 'Z' || fields[0] === 'X') return undefined
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')
    let environ = ''
    try {
      environ = readFileSync(`/proc/${pid}/environ`, 'utf8')
    } catch {
      // Another user's process: not one npm started for us.
    }
    return {
      pid,
      ppid: Number(fields[1]),
      startTime: fields[19],
      cmdline,
      startedByNpmRun: `\0${environ}`.includes('\0npm_lifecycle_event=')
    }
  } catch {
    return undefined
  }
}

/**
 * This process's launchers, nearest first: under `npm run`, every ancestor npm's script started (they carry
 * `npm_lifecycle_event`) and npm itself; otherwise the parent when it is tsx's CLI. Never the user's shell or
 * a service manager above npm.
 */
export function launchers(): Launcher[] {
  if (process.platform !== 'linux') return []
  const underNpm = process.env.npm_lifecycle_event !== undefined
  const found: Launcher[] = []
  let pid = process.ppid
  for (let depth = 0; pid > 1 && depth < 10; depth++) {
    const info = processInfo(pid)
    if (!info) break
    if (!underNpm) {
      if (/(^|\/)tsx( |$)|\/tsx\/dist\/cli/.test(info.cmdline)) found.push(info)
      break
    }
    found.push(info)
    if (!info.startedByNpmRun) break // npm itself
    pid = info.ppid
  }
  return found.map(({ pid, startTime }) => ({ pid, startTime }))
}

/** True while `launcher` still runs (the same process, not a reused PID, and not a zombie). */
export const isRunning = (launcher: Launcher): boolean =>
  processInfo(launcher.pid)?.startTime === launcher.startTime
