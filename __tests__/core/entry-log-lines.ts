// What an entry's log would print, as lines (`warning: …`, `notice: …`, info lines bare), for tests that check
// what an entry said without a host.
import type { EntryLog } from '../../src/core/log/entry-log.js'

export function entryLogLines(log: EntryLog): string[] {
  const lines: string[] = []
  const as = (prefix: string) => (message: string) => lines.push(`${prefix}${message}`)
  // flush prints synchronously into the group's function; the promise only wraps it.
  void log.flush(
    {
      info: as(''),
      notice: as('notice: '),
      warning: as('warning: '),
      debug: () => undefined,
      group: async (_title, fn) => fn(),
      setSecret: () => undefined
    },
    ''
  )
  return lines
}
