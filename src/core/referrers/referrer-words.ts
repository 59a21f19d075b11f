// How a referrer is named in log lines and errors: its kind, its type (or cosign's tag), and its digest.
import { artifactKind } from './artifact-kind.js'
import type { Referrer } from './referrer.js'

export function referrerName(referrer: Referrer): string {
  const kind = artifactKind(referrer.artifactType)
  const what = referrer.tag ? `cosign ${kind} ${referrer.tag}` : `${kind} (${referrer.artifactType})`
  return `${what} ${referrer.digest}`
}
