// What listing a repository's tags tells us, and the ways it can fail to.

export type TagListing =
  /** Every tag; `digests` when the listing names each tag's digest too (the ACR data plane does). */
  | { kind: 'listed'; tags: string[]; digests?: Map<string, string> }
  /** The registry answered that the repository does not exist. */
  | { kind: 'not-found'; detail: string }
  /** No permission, rate limit, network: `reason` says which, as one line. */
  | { kind: 'unlistable'; reason: string; status?: number }
