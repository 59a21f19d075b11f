// What a run changed, tag by tag: the `changed` output that a nightly refresh hands to the jobs that rebuild what
// is built on the images that moved. A tag changed when the import wrote a digest it did not hold before.
import type { ManifestRead } from '../registry/manifest-info.js'
import { tagsToWrite, type PlannedImport } from '../plan/planned-import.js'

export interface ChangedTag {
  /** `loginServer/repository:tag`. */
  target: string
  digest: string
  /** The digest the tag held before; null for a new tag (or one whose earlier digest could not be read). */
  previous: string | null
}

/** The target tags of `plan` that `digest` changes, given what each held before. */
export function changedTags(
  plan: PlannedImport,
  targetsBefore: Map<string, ManifestRead>,
  loginServer: string,
  digest: string
): ChangedTag[] {
  if (!digest) return []
  return tagsToWrite(plan).flatMap((tag) => {
    const before = targetsBefore.get(tag)
    const previous = before?.kind === 'read' ? before.manifest.digest : null
    return previous === digest ? [] : [{ target: `${loginServer}/${tag}`, digest, previous }]
  })
}
