// How ARM reaches an entry's source: an ACR the identity can see goes by resource ID (Entra auth, works with
// public access off), a source with a password goes by URI with credentials, anything else by URI.
import type { RegistryInfo } from '../arm/registry-info.js'
import { fullReference, type ImageReference } from '../reference/image-reference.js'
import type { SourceCredentials } from '../request/step-request.js'
import type { Entry } from '../entries/entry.js'

export type SourceAccess =
  { kind: 'resourceId'; registry: RegistryInfo } | { kind: 'registryUri'; credentials?: SourceCredentials }

/** An entry with its registries found: the source's canonical reference, how ARM reaches it, and the target. */
export interface ResolvedEntry {
  entry: Entry
  /** Canonical source; `registry` is the login server for ACR sources. */
  reference: ImageReference
  access: SourceAccess
  /** The registry the entry's targets are written into (the step's `registry`, or the one its targets name). */
  target: RegistryInfo
  /** The entry fails with this line (its target registry was not found, its tags could not be listed). */
  failure?: string
}

/**
 * One source as read with one access: entries that share it (the same image promoted to several registries)
 * share every read of it, so its digest is read once and all of them import the same one.
 */
export function sourceKey({ reference, access }: Pick<ResolvedEntry, 'reference' | 'access'>): string {
  const by =
    access.kind === 'resourceId'
      ? access.registry.id
      : JSON.stringify([access.credentials?.username ?? '', access.credentials?.password ?? ''])
  return JSON.stringify([fullReference(reference), access.kind, by])
}
