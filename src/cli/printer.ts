// The human log on stderr. No runner masks what a command line prints, so this does: every registered secret is
// replaced in every line, at every level, before it is written. A group is its title and its lines indented
// under it. Colour only on a terminal, and never with NO_COLOR (https://no-color.org).

export type Level = 'info' | 'notice' | 'warning' | 'error' | 'debug'

export interface TextStream {
  write(text: string): unknown
  isTTY?: boolean
}

const MASK = '***'
const STYLE: Record<Level | 'title', [string, string]> = {
  info: ['', ''],
  notice: ['\x1b[36m', '\x1b[39m'],
  warning: ['\x1b[33m', '\x1b[39m'],
  error: ['\x1b[31m', '\x1b[39m'],
  debug: ['\x1b[2m', '\x1b[22m'],
  title: ['\x1b[1m', '\x1b[22m']
}
const PREFIX: Record<Level, string> = {
  info: '',
  notice: 'notice: ',
  warning: 'warning: ',
  error: 'error: ',
  debug: 'debug: '
}

export class Printer {
  private readonly secrets = new Set<string>()
  private depth = 0
  private readonly colour: boolean

  constructor(
    private readonly stream: TextStream,
    private readonly showDebug: boolean,
    env: NodeJS.ProcessEnv = process.env
  ) {
    this.colour = Boolean(stream.isTTY) && !env.NO_COLOR
  }

  /** A value that must never be printed, here or in anything `redact` is given. */
  addSecret(value: string): void {
    if (value) this.secrets.add(value)
  }

  /** The text with every registered secret replaced, longest first (a secret may contain a shorter one). */
  redact(text: string): string {
    const secrets = [...this.secrets].sort((a, b) => b.length - a.length)
    return secrets.reduce((masked, secret) => masked.split(secret).join(MASK), text)
  }

  print(level: Level, text: string): void {
    if (level === 'debug' && !this.showDebug) return
    this.write(level, `${PREFIX[level]}${text}`)
  }

  async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    this.write('title', title)
    this.depth++
    try {
      return await fn()
    } finally {
      this.depth--
    }
  }

  private write(style: Level | 'title', text: string): void {
    const indent = '  '.repeat(this.depth)
    const [on, off] = this.colour ? STYLE[style] : ['', '']
    const lines = this.redact(text).split(/\r?\n|\r/)
    this.stream.write(lines.map((line) => `${indent}${on}${line}${off}\n`).join(''))
  }
}
