// The engine's Logger on top of @actions/core. The runner executes any log line that starts with `::` (or the
// older `##[`) as a workflow command, after trimming it. The engine already makes remote text safe, but this is
// the last gate before stdout, so every line passes through `inertLine` here too.
import * as core from '@actions/core'
import type { Logger } from '../core/index.js'

/** Breaks a leading workflow-command marker with a zero-width space (not whitespace for the runner's trim). */
export function inertLine(line: string): string {
  return line.replace(
    /^(\s*)(::|##\[)/,
    (_match, space: string, marker: string) => `${space}${marker[0]}\u200b${marker.slice(1)}`
  )
}

/** Applies `inertLine` to every line of a message. */
export function inertText(message: string): string {
  return message
    .split(/(\r?\n)/)
    .map((part) => (part === '\n' || part === '\r\n' ? part : inertLine(part)))
    .join('')
}

export function createActionLogger(): Logger {
  return {
    info: (message) => core.info(inertText(message)),
    // Annotations travel as escaped command data, but their text also shows in the log: keep it inert too.
    notice: (message) => core.notice(inertText(message)),
    warning: (message) => core.warning(inertText(message)),
    debug: (message) => core.debug(inertText(message)),
    group: (title, fn) => core.group(inertText(title), fn),
    setSecret: (value) => core.setSecret(value)
  }
}
