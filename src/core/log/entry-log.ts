// Entries run in parallel; each one's lines are kept and printed together in one group when it ends, so the
// logs of two entries never interleave. Every stage an entry passes through writes to its EntryLog.
import type { Logger } from './logger.js'

type Level = 'info' | 'notice' | 'warning' | 'debug'

export class EntryLog {
  private readonly lines: { level: Level; message: string }[] = []

  info(message: string): void {
    this.lines.push({ level: 'info', message })
  }
  notice(message: string): void {
    this.lines.push({ level: 'notice', message })
  }
  warning(message: string): void {
    this.lines.push({ level: 'warning', message })
  }
  debug(message: string): void {
    this.lines.push({ level: 'debug', message })
  }

  /** Prints everything collected in one group titled `title`. */
  async flush(log: Logger, title: string): Promise<void> {
    await log.group(title, async () => {
      for (const { level, message } of this.lines) log[level](message)
    })
  }
}
