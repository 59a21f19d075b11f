// The expand stage: each tag-pattern entry becomes the imports it stands for. Its repository's tags are listed,
// matched, and each match's digest read (a HEAD, free under Docker Hub's pull limit; an ACR listing names the
// digests itself). Tags that share a digest are one import, pinned by that digest, with every one of them as a
// target tag: `1.27.3`, `1.27` and `latest` of one image cost one import, not three. Entries without a pattern
// pass through as they are. This needs the network, so it runs after resolve, never in the entries stage.
import type { TagPattern } from '../request/tag-pattern.js'
import { mapLimited } from '../util/map-limited.js'
import { fullReference } from '../reference/image-reference.js'
import type { ManifestReaders } from '../resolve/manifest-readers.js'
import type { ResolvedEntry } from '../resolve/source-access.js'
import { shortDigest } from '../util/digest.js'
import { EntryLog } from '../log/entry-log.js'
import type { Logger } from '../log/logger.js'
import type { ExpandedEntry, ExpandedStep, PatternExpansion } from './expanded-entry.js'
import { listingFailure } from './listing-failure.js'
import type { ListTags } from './list-tags.js'
import { describePattern, matchTags, wellFormedTags } from './match-tags.js'

/** Patterns listed at once, and digests read at once per pattern: HEADs are cheap, registries still throttle. */
const MAX_PARALLEL_PATTERNS = 4
const MAX_PARALLEL_READS = 8

export interface ExpandContext {
  listTags: ListTags
  readers: ManifestReaders
  log: Logger
  signal?: AbortSignal
}

export async function expandTagPatterns(
  entries: ResolvedEntry[],
  context: ExpandContext
): Promise<ExpandedStep> {
  const patterns: PatternExpansion[] = []
  type Expanded = { imports: ExpandedEntry[]; pattern?: PatternExpansion }
  const expanded = await mapLimited(entries, MAX_PARALLEL_PATTERNS, async (resolved): Promise<Expanded> => {
    // An entry already failed (its target registry was not found) has nothing to list.
    if (!resolved.entry.tagPattern || resolved.failure !== undefined) return { imports: [resolved] }
    return expandOne(resolved, resolved.entry.tagPattern.pattern, context)
  })
  for (const one of expanded) if (one.pattern) patterns.push(one.pattern)
  return { imports: noteSharedTargets(expanded.flatMap((one) => one.imports)), patterns }
}

/**
 * Two imports writing one tag to two different images would race, which is never what was meant. The entries
 * stage refuses that for written tags; a pattern's tags are known only now, so each tag of a pattern's import
 * that an earlier entry writes too is noted on it (sharedTags), and the plan, once it knows both digests, leaves
 * the tag to the other entry when it is the same image, or fails the pattern's import, naming both, when not.
 */
function noteSharedTargets(imports: ExpandedEntry[]): ExpandedEntry[] {
  const writers = new Map<string, ExpandedEntry>()
  // A tag is shared only within one registry: the same tag in two registries is two targets.
  const key = (resolved: ExpandedEntry, tag: string) => `${resolved.target.loginServer}/${tag}`
  for (const resolved of imports)
    if (!resolved.pattern) resolved.entry.targetTags.forEach((t) => writers.set(key(resolved, t), resolved))
  return imports.map((resolved) => {
    if (!resolved.pattern || resolved.failure !== undefined) return resolved
    const sharedTags = resolved.entry.targetTags
      .filter((tag) => writers.has(key(resolved, tag)) && writers.get(key(resolved, tag)) !== resolved)
      .map((tag) => ({ tag, with: writers.get(key(resolved, tag))! }))
    resolved.entry.targetTags.forEach((tag) => {
      if (!writers.has(key(resolved, tag))) writers.set(key(resolved, tag), resolved)
    })
    return sharedTags.length > 0 ? { ...resolved, sharedTags } : resolved
  })
}

async function expandOne(
  resolved: ResolvedEntry,
  pattern: TagPattern,
  context: ExpandContext
): Promise<{ imports: ExpandedEntry[]; pattern: PatternExpansion }> {
  const { entry } = resolved
  const source = fullReference(resolved.reference)
  const expansion: PatternExpansion = { source, origin: entry.origin, matched: [] }
  const listing = await context.listTags(resolved, context.signal)
  if (listing.kind !== 'listed') {
    // The entry fails as an import does: its notices and the failure line are printed in its own group then.
    expansion.failed = true
    const failure = listingFailure(listing, resolved)
    return { imports: [{ ...resolved, failure, pattern: expansion }], pattern: expansion }
  }
  const log = new EntryLog()
  entry.notices.forEach((notice) => log.notice(notice))
  const { tags, dropped } = wellFormedTags(listing.tags)
  if (dropped > 0) {
    // The names themselves are not shown: they are the registry's text, made to look like commands.
    log.notice(
      `${source}: ${dropped} of the ${listing.tags.length} names the registry listed ${dropped === 1 ? 'is not a valid tag' : 'are not valid tags'} and ${dropped === 1 ? 'was' : 'were'} left out`
    )
  }
  expansion.matched = matchTags(tags, pattern)
  const words = describePattern(pattern)
  if (expansion.matched.length === 0) {
    log.warning(
      `${entry.origin}: no tag of ${source} matches ${words} (${tags.length} tags listed); nothing to import for it`
    )
    await log.flush(context.log, `Tags of ${source}: no match`)
    return { imports: [], pattern: expansion }
  }
  log.info(`${expansion.matched.length} of ${tags.length} tags match ${words}`)
  const groups = await groupByDigest(resolved, expansion.matched, listing.digests, context, log)
  for (const group of groups) {
    log.info(`${group.digest ? shortDigest(group.digest) : 'digest not read'}: ${group.tags.join(', ')}`)
  }
  await log.flush(context.log, `Tags of ${source}: ${expansion.matched.length} matched`)
  return { imports: groups.map((group) => importOf(resolved, group, expansion)), pattern: expansion }
}

interface DigestGroup {
  /** Undefined for a tag whose digest could not be read: it is imported by its tag, on its own. */
  digest?: string
  tags: string[]
}

/** The matching tags by digest, in the order of their first tag (the highest version first). */
async function groupByDigest(
  resolved: ResolvedEntry,
  tags: string[],
  listed: Map<string, string> | undefined,
  context: ExpandContext,
  log: EntryLog
): Promise<DigestGroup[]> {
  const digests = await mapLimited(tags, MAX_PARALLEL_READS, async (tag) => {
    const known = listed?.get(tag)
    if (known) return known
    const read = await context.readers.readSource(
      { reference: { ...resolved.reference, tag, digest: undefined }, access: resolved.access },
      context.signal
    )
    if (read.kind === 'read') return read.manifest.digest
    if (read.kind === 'not-found') {
      // Deleted between the listing and the read: there is nothing left to import.
      log.info(`${tag}: gone since the tags were listed (${read.detail}); left out`)
      return null
    }
    log.debug(`${tag}: digest not readable (${read.reason}); imported by its tag`)
    return undefined
  })
  const groups: DigestGroup[] = []
  const byDigest = new Map<string, DigestGroup>()
  tags.forEach((tag, i) => {
    const digest = digests[i]
    if (digest === null) return
    if (digest === undefined) {
      groups.push({ tags: [tag] })
      return
    }
    let group = byDigest.get(digest)
    if (!group) {
      group = { digest, tags: [] }
      byDigest.set(digest, group)
      groups.push(group)
    }
    group.tags.push(tag)
  })
  return groups
}

/** One import: the digest (or the tag, when unread) and every one of its tags in each target repository. */
function importOf(resolved: ResolvedEntry, group: DigestGroup, pattern: PatternExpansion): ExpandedEntry {
  const { entry } = resolved
  const repositories = entry.tagPattern?.targetRepositories ?? []
  const reference = group.digest
    ? { ...resolved.reference, tag: undefined, digest: group.digest }
    : { ...resolved.reference, tag: group.tags[0], digest: undefined }
  return {
    ...resolved,
    reference,
    entry: {
      ...entry,
      reference: { ...entry.reference, tag: reference.tag, digest: reference.digest },
      targetTags: repositories.flatMap((repository) => group.tags.map((tag) => `${repository}:${tag}`)),
      // Printed once, with the pattern's tags; not again for each import it became.
      notices: [],
      tagPattern: undefined
    },
    pattern,
    patternTags: group.tags
  }
}
