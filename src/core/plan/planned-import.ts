// One import as planned: the resolved entry, what reading its source said, and what to do about it.
import type { ImportImageParameters } from '@azure/arm-containerregistry'
import type { ExpandedEntry } from '../expand/expanded-entry.js'
import type { ManifestRead } from '../registry/manifest-info.js'
import type { EntryLog } from '../log/entry-log.js'

/** What the execution does with an entry: import it, leave it (every target holds the source), or fail it. */
export type PlanDecision =
  { kind: 'import'; why?: string } | { kind: 'unchanged' } | { kind: 'fail'; error: string }

export interface PlannedImport extends ExpandedEntry {
  /** The source as read before the import (its digest pins the import). */
  source: ManifestRead
  /** Each target tag (`repo:tag`) as read before the import; empty when the plan did not read them. */
  targetsBefore: Map<string, ManifestRead>
  decision: PlanDecision
  /** The entry's own log lines, printed together in one group when it ends. */
  log: EntryLog
  /** When work on the entry started (ms since the epoch), for its duration. */
  started: number
  /**
   * Of a tag pattern's import: the target tags that already held the digest, which the import leaves alone
   * (tagsToWrite). Absent otherwise (an entry's tags are imported together or not at all).
   */
  unchangedTags?: string[]
  /** What the signature gate (signatures/gate.ts) decided of an entry with `verify:`; absent without a policy. */
  signature?: SignatureVerdict
}

/** The signature gate's verdict on an entry, as the `results` output reports it. */
export type SignatureVerdict =
  /** What verified it: the policy, the signature's kind, its signer (key fingerprint or identity), its digest. */
  | { verified: true; policy: string; kind: SignatureKind; signer: string; digest: string }
  /** Nothing did: `enforce` refused the import (the plan fails), `audit` let it through; `reason` says why. */
  | { verified: false; mode: 'enforce' | 'audit'; reason: string }

/** cosign's tag scheme (`.sig`), a Sigstore bundle referrer, a Notation signature referrer. */
export type SignatureKind = 'cosign' | 'sigstore-bundle' | 'notation'

/** The target tags the import writes: every one of the entry's, but those found holding its digest already. */
export function tagsToWrite(plan: Pick<PlannedImport, 'entry' | 'unchangedTags'>): string[] {
  const unchanged = new Set(plan.unchangedTags ?? [])
  return plan.entry.targetTags.filter((tag) => !unchanged.has(tag))
}

/**
 * The runner may not read the source, but Azure may: an ACR source sent by resource ID that refused the runner
 * (network-restricted, or no pull role for it). It is imported server-side every run and verified on the target.
 */
export function sourceHiddenFromRunner(plan: Pick<PlannedImport, 'source' | 'access'>): boolean {
  const { source, access } = plan
  return (
    access.kind === 'resourceId' &&
    source.kind === 'unreadable' &&
    (source.status === 401 || source.status === 403)
  )
}

/** The digest to import: the one just read, else the one the user gave. */
export function pinnedDigest(plan: PlannedImport): string | undefined {
  return plan.source.kind === 'read' ? plan.source.manifest.digest : plan.reference.digest
}

/**
 * The ARM request body. With a known digest the source is imported by digest, so the target gets exactly
 * the manifest whose digest was read (a tag can move between our read and ACR's copy).
 */
export function toImportParameters(plan: PlannedImport): ImportImageParameters {
  const { repository, tag } = plan.reference
  const pinned = pinnedDigest(plan)
  const sourceImage = pinned ? `${repository}@${pinned}` : `${repository}:${tag ?? 'latest'}`
  const source: ImportImageParameters['source'] =
    plan.access.kind === 'resourceId'
      ? { resourceId: plan.access.registry.id, sourceImage }
      : { registryUri: plan.reference.registry, sourceImage, credentials: plan.access.credentials }
  const { untaggedRepositories, force } = plan.entry
  const targetTags = tagsToWrite(plan)
  return {
    source,
    targetTags: targetTags.length > 0 ? targetTags : undefined,
    untaggedTargetRepositories: untaggedRepositories.length > 0 ? untaggedRepositories : undefined,
    mode: force ? 'Force' : 'NoForce'
  }
}

/** The plan in words for logs and dry runs; credentials appear only as "username 'x' with a password". */
export function describePlan(plan: ExpandedEntry): string {
  const { access, reference, entry } = plan
  const targetLoginServer = plan.target.loginServer
  const from =
    access.kind === 'resourceId'
      ? `${reference.registry} (by resource ID ${access.registry.id})`
      : `${reference.registry}${
          access.credentials
            ? ` (as ${access.credentials.username ? `'${access.credentials.username}'` : 'a token'} with a password)`
            : ''
        }`
  const targets = [
    ...entry.targetTags.map((t) => `${targetLoginServer}/${t}`),
    ...entry.untaggedRepositories.map((r) => `${targetLoginServer}/${r} (untagged)`)
  ]
  const overwrite = entry.force
    ? 'overwriting tags that hold another image'
    : 'never overwriting a tag that holds another image'
  return `${importName(plan)}: from ${from} to ${targets.join(', ')}, ${overwrite}`
}

/**
 * The import as people name it: what the user wrote, or for a tag pattern's import its tags
 * (`docker.io/library/nginx:1.27.1 (+ 1.27, mainline)`), never a bare digest.
 */
export function importName(plan: Pick<ExpandedEntry, 'entry' | 'patternTags'>): string {
  const [first, ...others] = plan.patternTags ?? []
  if (first === undefined) return plan.entry.written
  return `${plan.entry.written}:${first}${others.length > 0 ? ` (+ ${others.join(', ')})` : ''}`
}
