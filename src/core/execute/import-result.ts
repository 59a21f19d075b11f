// One row of the `results` output, per entry, in input order.
import type { SignatureVerdict } from '../plan/planned-import.js'
import type { ChangedTag } from './changed-tags.js'

/**
 * imported: landed and verified; unchanged: every target already held the source digest, nothing was done;
 * queued: started without waiting (wait: false); planned: a dry run's would-be import; failed: see `error`.
 */
export type ImportStatus = 'imported' | 'unchanged' | 'queued' | 'planned' | 'failed'

export interface ImportResult {
  source: string
  /** Target references as `loginServer/repo:tag` (and `loginServer/repo` for untagged repositories). */
  targets: string[]
  /** The imported manifest digest, or '' when neither side could be read. */
  digest: string
  /** Platforms of a multi-arch index (`linux/amd64`, ...), empty for a single manifest or when unknown. */
  platforms: string[]
  status: ImportStatus
  durationMs: number
  /** One-line error with its hint, for a failed import. */
  error?: string
  /** How many times Azure throttled the entry's requests (429/503) and they waited and retried; absent: none. */
  throttled?: number
  /**
   * The signatures, SBOMs and attestations that refer to the image in the source (recursively), every one
   * verified in the target; `tag` for cosign's tags. Absent: none, or not copied (`referrers: false`).
   */
  referrers?: { digest: string; artifactType: string; tag?: string }[]
  /** The target tags and the digest were locked (write and delete disabled). */
  locked?: boolean
  /** The runner could not read the source (only Azure can): imported on every run, verified on the target. */
  sourceNotReadable?: true
  /** The target tags whose digest this run changed (a dry run: would change); absent when none did. */
  changed?: ChangedTag[]
  /** Of an entry with `verify:`: the signature that verified it, or why none did. */
  signature?: SignatureVerdict
}
