// A `sources` line is a source reference, optionally followed by its own targets:
//   docker.io/library/node:22-alpine => base/node:22-alpine, base/node:22
import { UserError } from '../errors/user-error.js'

export interface SourceLine {
  /** The source reference as written (left of `=>`). */
  source: string
  /** Targets named on the line (right of `=>`); empty when the line has none. */
  targets: string[]
}

export const ARROW = '=>'

/** Splits one `sources` line into its source and its targets. */
export function parseSourceLine(line: string): SourceLine {
  const arrow = line.indexOf(ARROW)
  if (arrow < 0) return { source: line.trim(), targets: [] }
  const source = line.slice(0, arrow).trim()
  const targets = line
    .slice(arrow + ARROW.length)
    .split(',')
    .map((t) => t.trim())
  if (!source || targets.some((t) => !t)) {
    throw new UserError(
      `Malformed source line '${line.trim()}'`,
      `write it as SOURCE ${ARROW} TARGET[, TARGET...], e.g. docker.io/library/node:22-alpine ${ARROW} base/node:22-alpine`
    )
  }
  return { source, targets }
}
