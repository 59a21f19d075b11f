// The one line a tag-pattern entry fails with when its repository's tags cannot be listed: what the registry
// answered, and what to do about it, chosen by the answer and by how the source is read (anonymously, with
// credentials, or with the step's Entra identity).
import { UserError } from '../errors/user-error.js'
import { fullReference } from '../reference/image-reference.js'
import type { TagListing } from '../registry/tag-listing.js'
import type { ResolvedEntry } from '../resolve/source-access.js'

/** The one line a pattern entry fails with when its repository cannot be listed, with what to do. */
export function listingFailure(
  listing: Exclude<TagListing, { kind: 'listed' }>,
  resolved: ResolvedEntry
): string {
  const { entry, access } = resolved
  const source = fullReference(resolved.reference)
  if (listing.kind === 'not-found') {
    return new UserError(
      `${entry.origin}: the tags of ${source} cannot be listed: the repository was not found (${listing.detail})`,
      'check the source repository (Docker Hub official images are library/<name>) and its registry'
    ).format()
  }
  const denied = listing.status === 401 || listing.status === 403
  const anonymous = access.kind === 'registryUri' && !access.credentials
  const hint = !denied
    ? 'run the step again; if it repeats, check the registry and the network'
    : anonymous
      ? 'the repository may be private: give credentials that may pull from it (username and password, or credentials in the images file)'
      : access.kind === 'resourceId' || !access.credentials
        ? 'give the identity a role that may read the registry (AcrPull, or Container Registry Data Importer and Data Reader)'
        : 'check that the credentials may pull from the repository'
  return new UserError(
    `${entry.origin}: the tags of ${source} cannot be listed: ${listing.reason}`,
    hint
  ).format()
}
