// The step's `username`/`password` are one registry's credentials (a Docker Hub token, another ACR's token). A
// batch whose entries on those credentials read sources on several registries would send them to each of them
// (the MCR import carrying the Docker Hub token), so such a step is refused before any request, naming the
// registries and where the other credentials go.
import { UserError } from '../errors/user-error.js'
import type { SourceCredentials } from '../request/step-request.js'
import type { Entry } from './entry.js'

/** Refuses `entries` when those that carry the step's `credentials` read more than one registry. */
export function checkStepCredentialsScope(
  entries: Entry[],
  credentials: SourceCredentials | undefined
): void {
  if (!credentials) return
  const registries = new Map<string, string>()
  for (const entry of entries) {
    const registry = entry.reference.registry
    if (entry.credentials === credentials && !registries.has(registry)) registries.set(registry, entry.origin)
  }
  if (registries.size <= 1) return
  const named = [...registries].map(([registry, origin]) => `${registry} (${origin})`).join(', ')
  throw new UserError(
    `The step's username and password would go to several registries: ${named}`,
    "they are one registry's credentials: list the other images in an images file with credentials of their own (credentials: { registry: ..., password-env: ... }, or none), or set source-registry to the registry they are for"
  )
}
