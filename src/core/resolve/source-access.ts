// How ARM reaches an entry's source: an ACR the identity can see goes by resource ID (Entra auth, works with
// public access off), a source with a password goes by URI with credentials, anything else by URI.
import type { RegistryInfo } from '../arm/registry-info.js'
import type { ImageReference } from '../reference/image-reference.js'
import type { SourceCredentials } from '../request/step-request.js'
import type { Entry } from '../entries/entry.js'

export type SourceAccess =
  { kind: 'resourceId'; registry: RegistryInfo } | { kind: 'registryUri'; credentials?: SourceCredentials }

/** An entry with its registries found: the source's canonical reference and how ARM reaches it. */
export interface ResolvedEntry {
  entry: Entry
  /** Canonical source; `registry` is the login server for ACR sources. */
  reference: ImageReference
  access: SourceAccess
}
