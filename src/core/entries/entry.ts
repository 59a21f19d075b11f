// An entry: one image to import, as the user asked for it, checked and normalised, before anything is read
// from Azure or a registry. Entries come from `source` lines and the images file. An entry with a tag pattern
// names a repository, not an image: the expand stage lists its tags and turns it into one entry per digest.
import type { RegistryInput } from '../arm/registry-input.js'
import type { ImageReference } from '../reference/image-reference.js'
import type { SourceCredentials } from '../request/step-request.js'
import type { TagPattern } from '../request/tag-pattern.js'
import { splitRepoTag } from '../util/repo-tag.js'
import type { EntryVerification } from './trust-policy.js'

export interface Entry {
  /** The source as the user wrote it, for messages. */
  written: string
  /** Where the user wrote it, for messages that must point at it: "source line 2", "images.yaml line 14". */
  origin: string
  /** The source. `registry` is the host written (docker.io for shorthand), or the source registry's login server. */
  reference: ImageReference
  /** The source registry the source lives in (`source-registry`), found through ARM later. */
  sourceRegistry?: RegistryInput
  /**
   * The registry the targets are written into, when a target named another ACR than the step's `registry`
   * (`prodweu.azurecr.io/app:1.0`); absent: the step's. An entry with targets in several registries is split
   * into one entry per registry, so each has its own plan and result.
   */
  targetRegistry?: RegistryInput
  /** Target `repo:tag`s, every one with an explicit tag. */
  targetTags: string[]
  /** Target repositories for a manifest-only (untagged) copy. */
  untaggedRepositories: string[]
  /** Never overwrite a target tag that holds another image unless true. */
  force: boolean
  /** Copy what refers to the image (signatures, SBOMs, attestations) after it lands. */
  referrers: boolean
  /** Lock the target tags and the digest once the image and its referrers landed. */
  lock: boolean
  credentials?: SourceCredentials
  /** What was assumed or changed while reading the entry, for log.notice. */
  notices: string[]
  /** The signature gate (`verify:`): absent when no policy applies (`verify: false`, or none given). */
  verify?: EntryVerification
  /** Set when the entry mirrors the tags of a repository that match a pattern (`reference` has no tag then). */
  tagPattern?: EntryTagPattern
}

export interface EntryTagPattern {
  pattern: TagPattern
  /** Where each matching tag is written, as `repository:<the source's tag>`; `targetTags` stays empty. */
  targetRepositories: string[]
}

/** Every target repository of the entry, once: tagged and untagged (a referrer goes next to each copy). */
export function repositoriesOf(entry: Pick<Entry, 'targetTags' | 'untaggedRepositories'>): string[] {
  const tagged = entry.targetTags.map((target) => splitRepoTag(target).repository)
  return [...new Set([...tagged, ...entry.untaggedRepositories])]
}
