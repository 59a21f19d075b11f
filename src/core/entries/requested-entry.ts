// One entry as the user asked for it, from a `source` line or from the images file, with the step's inputs and
// the file's defaults already applied: the one shape that build-entries turns into an Entry, so that both
// sources of entries mean the same and are checked by the same rules.
import type { RegistryInput } from '../arm/registry-input.js'
import { UserError } from '../errors/user-error.js'
import type { SourceCredentials } from '../request/step-request.js'
import type { TagPattern } from '../request/tag-pattern.js'
import type { EntryVerification } from './trust-policy.js'

/** Text as written; `where` ("images.yaml line 14") prefixes its error messages when given. */
export interface Written {
  value: string
  where?: string
}

export interface RequestedEntry {
  /** "source line 2", "images.yaml line 14": where the entry is, for messages about two entries. */
  origin: string
  source: Written
  /** Targets as written; empty for the source's own repository:tag. */
  targets: Written[]
  repositories: Written[]
  /** Resolved once, here: the entry's own field, else the file's `defaults:`, else the step's input. */
  force: boolean
  referrers: boolean
  lock: boolean
  sourceRegistry?: RequestedRegistry
  credentials?: SourceCredentials
  /** The tags to import, for a source written without a tag; `targets` are repositories then. */
  tags?: { pattern: TagPattern; where?: string }
  /** The signature gate: the entry's own `verify:`, else the file's `defaults:`, else the `trust-policy` file's. */
  verify?: EntryVerification
}

export interface RequestedRegistry {
  input: RegistryInput
  /**
   * Set on the registry of the entry itself (a source line's, or the file entry's own `source-registry`): its
   * source must be in it. A default (from `defaults:` or the step's input) applies only to a source written
   * without a registry host, so one entry of another registry needs no exception to the defaults.
   */
  strict: boolean
}

/** Runs `read`; a UserError it throws gets `where` in front, so the message says where the mistake is. */
export function at<T>(where: string | undefined, read: () => T): T {
  try {
    return read()
  } catch (err) {
    if (!where || !(err instanceof UserError)) throw err
    throw new UserError(`${where}: ${err.message}`, err.hint)
  }
}
