// An entry: one image to import, as the user asked for it, checked and normalised, before anything is read
// from Azure or a registry. Entries come from `source` lines today; an images file and tag patterns add more.
import type { ImageReference } from '../reference/image-reference.js'
import type { SourceCredentials } from '../request/step-request.js'

export interface Entry {
  /** The source as the user wrote it, for messages. */
  written: string
  /** The source. `registry` is the host written (docker.io for shorthand), or the source registry's login server. */
  reference: ImageReference
  /** `source-registry` as given, when the source lives there (resolved through ARM later). */
  sourceRegistry?: string
  /** Target `repo:tag`s, every one with an explicit tag. */
  targetTags: string[]
  /** Target repositories for a manifest-only (untagged) copy. */
  untaggedRepositories: string[]
  force: boolean
  credentials?: SourceCredentials
  /** What was assumed or changed while reading the entry, for log.notice. */
  notices: string[]
}
