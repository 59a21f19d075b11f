// One import as planned: where the source is read from, how ARM reaches it, and which targets it writes.
import type { ImportImageParameters } from '@azure/arm-containerregistry'
import type { RegistryInfo } from '../arm/registry-info.js'
import type { ImageReference } from '../reference/image-reference.js'

export interface SourceCredentials {
  username?: string
  password: string
}

/** How ARM reaches the source: an ACR by resource ID (Entra auth), or any registry by URI. */
export type SourceAccess =
  { kind: 'resourceId'; registry: RegistryInfo } | { kind: 'registryUri'; credentials?: SourceCredentials }

export interface PlannedImport {
  /** The source as the user wrote it. */
  written: string
  /** Canonical source; `registry` is the login server for ACR sources. */
  reference: ImageReference
  access: SourceAccess
  /** Target `repo:tag`s, every one with an explicit tag. */
  targetTags: string[]
  /** Target repositories for a manifest-only (untagged) copy. */
  untaggedRepositories: string[]
  mode: 'Force' | 'NoForce'
  /** What was assumed or changed while planning, for log.notice. */
  notices: string[]
}

/**
 * The ARM request body. With a known digest the source is imported by digest, so the target gets exactly
 * the manifest whose digest was read (a tag can move between our read and ACR's copy).
 */
export function toImportParameters(plan: PlannedImport, digest?: string): ImportImageParameters {
  const { repository, tag } = plan.reference
  const pinned = digest ?? plan.reference.digest
  const sourceImage = pinned ? `${repository}@${pinned}` : `${repository}:${tag ?? 'latest'}`
  const source: ImportImageParameters['source'] =
    plan.access.kind === 'resourceId'
      ? { resourceId: plan.access.registry.id, sourceImage }
      : { registryUri: plan.reference.registry, sourceImage, credentials: plan.access.credentials }
  return {
    source,
    targetTags: plan.targetTags.length > 0 ? plan.targetTags : undefined,
    untaggedTargetRepositories: plan.untaggedRepositories.length > 0 ? plan.untaggedRepositories : undefined,
    mode: plan.mode
  }
}

/** The plan in words for logs and dry runs; credentials appear only as "username 'x' with a password". */
export function describePlan(plan: PlannedImport, targetLoginServer: string): string {
  const from =
    plan.access.kind === 'resourceId'
      ? `${plan.reference.registry} (by resource ID ${plan.access.registry.id})`
      : `${plan.reference.registry}${
          plan.access.credentials
            ? ` (as ${plan.access.credentials.username ? `'${plan.access.credentials.username}'` : 'a token'} with a password)`
            : ''
        }`
  const targets = [
    ...plan.targetTags.map((t) => `${targetLoginServer}/${t}`),
    ...plan.untaggedRepositories.map((r) => `${targetLoginServer}/${r} (untagged)`)
  ]
  return `${plan.written}: from ${from} to ${targets.join(', ')}, mode ${plan.mode}`
}
