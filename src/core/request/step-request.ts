// The request: every engine input of the step, read and checked on its own (types, ranges, combinations that
// can never work), before anything looks at image references or the network.
import type { TagPattern } from './tag-pattern.js'

/** Credentials of the source registry (Docker Hub token, SP app ID + password, ACR token, private registry). */
export interface SourceCredentials {
  username?: string
  password: string
}

export interface StepRequest {
  /** Target ACR: name (found through ARM in the subscription), login server, or ARM resource ID. */
  registry: string
  /** `source` lines: a source reference each, optionally `=> TARGET[, TARGET...]`. */
  sourceLines: string[]
  /** Source ACR by resource ID, name or login server; sources are then `repo[:tag|@digest]` in it. */
  sourceRegistry?: string
  /** Target `repo[:tag]`s of a single source (`image`). */
  images: string[]
  /** Untagged target repositories of a single source (`repository`). */
  repositories: string[]
  credentials?: SourceCredentials
  /** Overwrite existing target tags (ARM mode Force). Default false: NoForce. */
  force: boolean
  /** Wait for the long-running operation. When false, the import is queued and no digest is verified. */
  wait: boolean
  /** Client-side limit for one import, in seconds (stuck imports are a known ACR failure). */
  timeoutSeconds: number
  /** Resolve, read and decide everything, print the plan, import nothing. */
  dryRun: boolean
  /** Absolute path of the images file (`images-file`), when given. */
  imagesFile?: string
  /**
   * Absolute path of the trust policy file (`trust-policy`), when given: named policies and the `verify:` that every
   * entry passes unless it says otherwise.
   */
  trustPolicy?: string
  /** How many imports may be in flight: 'auto' adapts to throttling; a number is a fixed maximum. */
  concurrency: 'auto' | number
  /** Leave entries whose every target already holds the source digest alone (no import, no pull). */
  skipUnchanged: boolean
  /** Start no new entry after the first failure. */
  failFast: boolean
  /** Copy the signatures, SBOMs and attestations that refer to each image along with it. */
  referrers: boolean
  /** Lock each target tag and digest (write and delete disabled) once the image and its referrers landed. */
  lock: boolean
  /** This job's stable slice of all entries (`2/4`: the second of four), when given. */
  shard?: Shard
  /** `tags`: the tags to import of each source line written without a tag. */
  tags?: TagPattern
}

export interface Shard {
  /** 1-based. */
  index: number
  count: number
}
