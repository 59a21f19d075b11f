// An error the user can fix. It carries a hint that says how; hosts print `format()` as the step's failure.

export class UserError extends Error {
  readonly hint?: string

  constructor(message: string, hint?: string) {
    super(message)
    this.name = 'UserError'
    this.hint = hint
  }

  /** One line: "message. hint" (no trailing period doubled). */
  format(): string {
    return joinSentences(this.message, this.hint)
  }
}

/** Joins a message and an optional hint into one line, with exactly one period between them. */
export function joinSentences(message: string, hint?: string): string {
  const first = message.trim().replace(/[.\s]+$/, '')
  if (!hint) return `${first}.`
  const second = hint.trim().replace(/[.\s]+$/, '')
  return `${first}. ${second.charAt(0).toUpperCase()}${second.slice(1)}.`
}
