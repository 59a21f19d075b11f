// The plan stage: reads each entry's source (its digest pins the import) and, to skip what did not change, its
// target tags; then decides what the execution does with it. Reads run a few at a time; they are HEADs, which
// Docker Hub does not count against its pull limit, so an unchanged image costs no pull.
import { IMPORTER_ROLE } from '../errors/hints.js'
import { UserError } from '../errors/user-error.js'
import { mapLimited } from '../util/map-limited.js'
import { shortDigest } from '../util/digest.js'
import { fullReference } from '../reference/image-reference.js'
import type { ManifestRead } from '../registry/manifest-info.js'
import { readTargetTag, type ManifestReaders } from '../resolve/manifest-readers.js'
import type { ExpandedEntry } from '../expand/expanded-entry.js'
import { EntryLog } from '../log/entry-log.js'
import {
  describePlan,
  sourceHiddenFromRunner,
  type PlanDecision,
  type PlannedImport
} from './planned-import.js'
import { settleSharedTags } from './shared-tags.js'

/**
 * Entries planned at once. Their reads are small and independent HEADs (free under Docker Hub's pull limit), and
 * a later wave waits for the whole chain of an earlier one (401, token, read on each side): a batch of 64 is
 * planned in one wave, as the execution starts 64 at once. The pacers keep any registry that throttles polite.
 */
const MAX_PARALLEL_READS = 64

export interface PlanContext {
  readers: ManifestReaders
  /** Read the target tags and leave entries whose every tag already holds the source digest. */
  skipUnchanged: boolean
  /** A dry run reads the target tags too, to tell each entry's real outcome. */
  dryRun: boolean
  signal?: AbortSignal
}

export async function planImports(imports: ExpandedEntry[], context: PlanContext): Promise<PlannedImport[]> {
  const plans = await mapLimited(imports, MAX_PARALLEL_READS, (resolved) => planImport(resolved, context))
  return settleSharedTags(imports, plans)
}

async function planImport(resolved: ExpandedEntry, context: PlanContext): Promise<PlannedImport> {
  const started = Date.now()
  const log = new EntryLog()
  resolved.entry.notices.forEach((notice) => log.notice(notice))
  if (resolved.failure !== undefined) {
    // Failed before the plan (target registry not found, tags not listed): nothing to read.
    const source: ManifestRead = { kind: 'unreadable', reason: 'not read' }
    const decision: PlanDecision = { kind: 'fail', error: resolved.failure }
    return { ...resolved, source, targetsBefore: new Map(), log, started, unchangedTags: [], decision }
  }
  log.info(describePlan(resolved))
  // The target tags are read beside the source, not after it: the two sides' chains (401, token, read) overlap.
  const targetReads = context.skipUnchanged || context.dryRun ? readTargets(resolved, context) : undefined
  const source = await context.readers.readSource(resolved, context.signal)
  if (source.kind === 'read') log.info(`Source digest: ${shortDigest(source.manifest.digest)}`)
  else if (source.kind === 'unreadable') log.debug(`Source digest not readable: ${source.reason}`)
  const hidden = sourceHiddenFromRunner({ source, access: resolved.access })
  // A source only Azure can read is imported every run; what its targets held is read first, so that the
  // execution can tell afterwards whether the import changed anything. Of any other source whose digest is
  // unknown, what the targets hold decides nothing.
  const targetsBefore =
    targetReads && (source.kind === 'read' || hidden) ? await targetReads : await settled(targetReads)
  const plan = { ...resolved, source, targetsBefore, log, started, unchangedTags: [] }
  if (hidden && source.kind === 'unreadable') {
    log.notice(
      `${fullReference(resolved.reference)} is not readable from the runner (${source.reason}): Azure imports it ` +
        'server-side on every run and its digest is verified on the target; its signatures and SBOMs are copied ' +
        `only where the runner can read it (network access, and AcrPull or "${IMPORTER_ROLE}" on ${resolved.reference.registry})`
    )
  }
  const decision = decide(plan, context)
  if (decision.kind === 'unchanged') log.info('Unchanged: every target tag already holds the source digest')
  else if (decision.kind === 'import' && decision.why) log.info(decision.why)
  return decision.kind === 'import' && resolved.pattern && context.skipUnchanged
    ? leaveUnchangedTags({ ...plan, decision })
    : { ...plan, decision }
}

/**
 * A tag pattern's import writes only the tags that do not hold its digest yet: after a release, the new version
 * and the aliases that moved to it are imported, and the tags that stayed are left as they are.
 */
function leaveUnchangedTags(plan: PlannedImport): PlannedImport {
  if (plan.source.kind !== 'read') return plan
  const digest = plan.source.manifest.digest
  const holds = (tag: string): boolean => {
    const read = plan.targetsBefore.get(tag)
    return read?.kind === 'read' && read.manifest.digest === digest
  }
  const unchangedTags = plan.entry.targetTags.filter(holds)
  if (unchangedTags.length === 0) return plan
  plan.log.info(`Unchanged, left alone: ${unchangedTags.join(', ')}`)
  return { ...plan, unchangedTags }
}

/** Reads whose answers are not needed, awaited so that none is left running (or rejected unseen). */
async function settled(
  reads: Promise<Map<string, ManifestRead>> | undefined
): Promise<Map<string, ManifestRead>> {
  await reads?.catch(() => undefined)
  return new Map()
}

/** Every target tag as it is now, read in parallel. */
async function readTargets(
  resolved: ExpandedEntry,
  context: PlanContext
): Promise<Map<string, ManifestRead>> {
  const reads = await Promise.all(
    resolved.entry.targetTags.map(async (tag) => {
      // The plan compares digests only: the one-request read.
      const read = await readTargetTag(
        context.readers,
        resolved.target.loginServer,
        tag,
        context.signal,
        true
      )
      return [tag, read] as const
    })
  )
  return new Map(reads)
}

function decide(plan: Omit<PlannedImport, 'decision'>, context: PlanContext): PlanDecision {
  const { source, entry } = plan
  if (source.kind === 'not-found') {
    const error = new UserError(
      `Source ${fullReference(plan.reference)} was not found (${source.detail})`,
      'check the repository and the tag or digest'
    )
    return { kind: 'fail', error: error.format() }
  }
  if (source.kind !== 'read') {
    return context.skipUnchanged && !sourceHiddenFromRunner(plan)
      ? { kind: 'import', why: 'Not skipped as unchanged: the source digest could not be read' }
      : { kind: 'import' }
  }
  const digest = source.manifest.digest
  const conflict = conflictingTag(plan, digest)
  if (conflict) return { kind: 'fail', error: conflict }
  if (!context.skipUnchanged) return { kind: 'import' }
  // Untagged copies cannot be compared by tag; an entry with any of them is always imported.
  if (entry.targetTags.length === 0 || entry.untaggedRepositories.length > 0) return { kind: 'import' }
  const differing = entry.targetTags.filter((tag) => {
    const read = plan.targetsBefore.get(tag)
    return read?.kind !== 'read' || read.manifest.digest !== digest
  })
  if (differing.length === 0) return { kind: 'unchanged' }
  const unreadable = differing.filter((tag) => plan.targetsBefore.get(tag)?.kind === 'unreadable')
  return unreadable.length > 0
    ? { kind: 'import', why: `Not skipped as unchanged: ${unreadable.join(', ')} could not be read` }
    : { kind: 'import' }
}

/**
 * Under NoForce, ACR refuses to move a tag that holds another image, after a pull from the source: say so now,
 * without spending the import (or, on Docker Hub, a pull), and tell a dry run the truth.
 */
function conflictingTag(plan: Omit<PlannedImport, 'decision'>, digest: string): string | undefined {
  if (plan.entry.force) return undefined
  for (const [tag, read] of plan.targetsBefore) {
    if (read.kind === 'read' && read.manifest.digest !== digest) {
      return new UserError(
        `Target ${plan.target.loginServer}/${tag} already exists and holds ${shortDigest(read.manifest.digest)}, not the source's ${shortDigest(digest)}`,
        'a tag that holds another image is not overwritten without force; use force: true to overwrite it'
      ).format()
    }
  }
  return undefined
}
