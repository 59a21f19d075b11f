// The engine's Logger on the Azure Pipelines console. Everything printed may contain remote text (ARM error
// messages, registry replies, image names), and the agent executes a `##vso[` command found anywhere in a line
// and a `##[` formatting command at its start, so every line is made inert before it is written.
import { EOL } from 'node:os'
import * as tl from 'azure-pipelines-task-lib/task.js'
import type { Logger } from '../core/index.js'
import { registerSecret } from './secrets.js'

/** Breaks up the agent's command markers with a zero-width space: the text stays readable and does nothing. */
export function inert(text: string): string {
  return text.replace(/##vso\[/gi, (marker) => `#\u200b#${marker.slice(2)}`).replace(/##\[/g, '#\u200b#[')
}

function writeLines(text: string, prefix = ''): void {
  for (const line of text.split(/\r?\n|\r/)) process.stdout.write(`${prefix}${inert(line)}${EOL}`)
}

export function createTaskLogger(): Logger {
  return {
    info: (message) => writeLines(message),
    // Azure Pipelines has no notice level; a plain line keeps it visible without a warning's yellow.
    notice: (message) => writeLines(message),
    // task-lib escapes CR and LF in an issue's message, so a multi-line warning stays one issue.
    warning: (message) => tl.warning(inert(message)),
    debug: (message) => tl.debug(inert(message)),
    async group(title, fn) {
      process.stdout.write(`##[group]${inert(title.replace(/[\r\n]+/g, ' '))}${EOL}`)
      try {
        return await fn()
      } finally {
        process.stdout.write(`##[endgroup]${EOL}`)
      }
    },
    setSecret: (value) => {
      if (value) registerSecret(value)
    }
  }
}
