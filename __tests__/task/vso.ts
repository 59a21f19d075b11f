// A small reader of the logging commands a task prints (`##vso[area.event k=v;k=v;]message`), written from the
// format task-lib documents, so the tests check the wire output rather than trust task-lib's own parser.

export interface VsoCommand {
  command: string
  properties: Record<string, string>
  message: string
}

const COMMAND_LINE = /^##vso\[([A-Za-z0-9_.-]+)([^\]]*)\](.*)$/

function unescapeProperty(value: string): string {
  return value
    .replace(/%0D/g, '\r')
    .replace(/%0A/g, '\n')
    .replace(/%5D/g, ']')
    .replace(/%3B/g, ';')
    .replace(/%AZP25/g, '%')
}

function unescapeMessage(value: string): string {
  return value
    .replace(/%0D/g, '\r')
    .replace(/%0A/g, '\n')
    .replace(/%AZP25/g, '%')
}

export function parseVsoCommands(output: string): VsoCommand[] {
  const commands: VsoCommand[] = []
  for (const line of output.split(/\r?\n/)) {
    const match = COMMAND_LINE.exec(line)
    if (!match) continue
    const properties: Record<string, string> = {}
    for (const pair of match[2].trim().split(';')) {
      if (!pair) continue
      const equals = pair.indexOf('=')
      if (equals > 0) properties[pair.slice(0, equals).trim()] = unescapeProperty(pair.slice(equals + 1))
    }
    commands.push({ command: match[1], properties, message: unescapeMessage(match[3]) })
  }
  return commands
}

/** What a run published, in the terms a pipeline author sees. */
export interface TaskReport {
  /** Output variables (task.setvariable with isOutput=true), by name. */
  outputs: Record<string, string>
  /** `task.complete`: Succeeded, SucceededWithIssues, Failed, ... */
  result?: string
  resultMessage?: string
  warnings: string[]
  errors: string[]
  summaries: string[]
  secrets: string[]
}

export function readTaskReport(commands: VsoCommand[]): TaskReport {
  const report: TaskReport = { outputs: {}, warnings: [], errors: [], summaries: [], secrets: [] }
  for (const { command, properties, message } of commands) {
    if (command === 'task.setvariable' && properties.isOutput === 'true') {
      report.outputs[properties.variable] = message
    } else if (command === 'task.complete') {
      report.result = properties.result
      report.resultMessage = message
    } else if (command === 'task.issue' || command === 'task.logissue') {
      if (properties.type === 'warning') report.warnings.push(message)
      if (properties.type === 'error') report.errors.push(message)
    } else if (command === 'task.uploadsummary') {
      report.summaries.push(message)
    } else if (command === 'task.setsecret') {
      report.secrets.push(message)
    }
  }
  return report
}
