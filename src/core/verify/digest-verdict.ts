// Decides the import's digest from what could be read on each side: both read -> they must agree; one read ->
// use it and say verification was not possible; none -> success without a digest, naming the missing role.
import { IMPORTER_ROLE } from '../errors/hints.js'
import type { ManifestRead } from '../registry/manifest-info.js'

export interface DigestVerdict {
  digest: string
  platforms: string[]
  warnings: string[]
  /** Set when the target does not hold what was imported. */
  failure?: string
  /** What to do about the failure, when it is not the usual "run the import again". */
  failureHint?: string
}

export interface VerdictInput {
  /** The source read before the import (undefined when not attempted). */
  source?: ManifestRead
  /** A digest the user gave in the source reference. */
  givenDigest?: string
  /** The target tag read after the import (undefined for untagged-only targets or no wait). */
  target?: ManifestRead
  targetName: string
  sourceName: string
  targetLoginServer: string
  /** Only Azure can read the source (said once, as a notice, by the plan): not a warning here. */
  sourceHidden?: boolean
}

/** Only a refusal (401/403) is about the role; a 503 or a reset of the registry or its token service is not. */
const targetReadHint = (loginServer: string, status: number | undefined): string =>
  status === 401 || status === 403
    ? `grant the signed-in identity AcrPull (or "${IMPORTER_ROLE}") on ${loginServer} to read it`
    : 'the registry did not answer the read (a service or network fault, not a permission problem); run the step again to verify'

export function digestVerdict(input: VerdictInput): DigestVerdict {
  const warnings: string[] = []
  const sourceManifest = input.source?.kind === 'read' ? input.source.manifest : undefined
  const sourceDigest = sourceManifest?.digest ?? input.givenDigest
  const targetManifest = input.target?.kind === 'read' ? input.target.manifest : undefined
  const platforms = sourceManifest?.platforms.length
    ? sourceManifest.platforms
    : (targetManifest?.platforms ?? [])

  if (input.target?.kind === 'not-found') {
    return {
      digest: '',
      platforms,
      warnings,
      failure: `ARM reported success, but ${input.targetName} is not in the target registry (${input.target.detail})`
    }
  }
  if (targetManifest && sourceDigest && targetManifest.digest !== sourceDigest) {
    return {
      digest: targetManifest.digest,
      platforms,
      warnings,
      failure: `Digest mismatch: ${input.targetName} is ${targetManifest.digest}, but the source ${input.sourceName} was ${sourceDigest}`
    }
  }
  if (targetManifest) {
    if (!sourceDigest && input.source?.kind === 'unreadable' && !input.sourceHidden) {
      warnings.push(`Could not verify the digest against the source: ${input.source.reason}`)
    }
    return { digest: targetManifest.digest, platforms, warnings }
  }
  if (input.target?.kind === 'unreadable') {
    const fix = input.target.signInFailed
      ? 'the sign-in failed in the middle of the run (not a missing role); run the step again to verify'
      : targetReadHint(input.targetLoginServer, input.target.status)
    const why = `${input.targetName} could not be read (${input.target.reason}); ${fix}`
    warnings.push(
      sourceDigest
        ? `The import was not verified: ${why}. The digest output is the source's.`
        : `The digest is unknown: neither the source nor the target could be read. ${why}.`
    )
  } else if (!sourceDigest && input.source?.kind === 'unreadable') {
    warnings.push(`The digest is unknown: the source could not be read (${input.source.reason}).`)
  }
  return { digest: sourceDigest ?? '', platforms, warnings }
}
