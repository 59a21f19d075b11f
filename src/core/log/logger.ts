// The engine's logger, built once per step on the host's output calls. It applies the core's two output rules to every
// line of every host: secrets are registered line by line (secretLines), and each printed line is made inert
// (no workflow commands), so remote text can never become a command on either platform.
import { inert } from './inert.js'
import { secretLines } from './secret-lines.js'

export interface Logger {
  info(message: string): void
  notice(message: string): void
  warning(message: string): void
  debug(message: string): void
  /** Runs `fn` inside a collapsible log group. */
  group<T>(title: string, fn: () => Promise<T>): Promise<T>
  /** Registers a value that must never be printed (each of its lines, when it has several). */
  setSecret(value: string): void
}

/** The host's raw output calls (the host port has them): the Logger's shape, without the core's rules. */
export type LogSink = Logger

export function stepLogger(host: LogSink): Logger {
  return {
    info: (message) => host.info(inert(message)),
    notice: (message) => host.notice(inert(message)),
    warning: (message) => host.warning(inert(message)),
    debug: (message) => host.debug(inert(message)),
    group: (title, fn) => host.group(inert(title.replace(/[\r\n]+/g, ' ')), fn),
    setSecret: (value) => secretLines(value).forEach((line) => host.setSecret(line))
  }
}
