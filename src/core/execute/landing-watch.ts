// Notices on the data plane that an import landed: ACR writes the target tags last, so once every target tag
// serves the imported digest (and each untagged repository holds it), the import is done, often long before
// ARM's Retry-After lets us ask. Only a change proves anything: a target that already held the digest before the
// import, or one that cannot be read, leaves the decision to ARM. ARM stays the judge of failures.
import { sleep } from '../util/sleep.js'
import { pinnedDigest, tagsToWrite, type PlannedImport } from '../plan/planned-import.js'
import type { ManifestRead } from '../registry/manifest-info.js'
import type { ReadBudget } from '../registry/read-budget.js'
import type { TargetRead, TargetTagReader } from '../registry/target-tag-reader.js'
import { splitRepoTag } from '../util/repo-tag.js'

/** Reads come a few times a second at first, then back off to this. */
const FIRST_CHECK_MS = 100
const FAST_CHECK_MS = 100
const FAST_CHECKS = 30
const SLOWEST_CHECK_MS = 3000
const BACKOFF = 1.5

export interface LandingWatch {
  /** What each target tag held just before the import (the plan's reads, completed with our own). */
  targetsBefore: Map<string, ManifestRead>
  /** Resolves true once every target serves the digest; false as soon as the data plane cannot tell. */
  landed(signal: AbortSignal): Promise<boolean>
}

/** The watch for one import, or undefined when the data plane cannot prove it landed (ARM alone decides). */
export async function prepareLandingWatch(
  plan: PlannedImport,
  reader: TargetTagReader,
  budget: ReadBudget,
  signal?: AbortSignal
): Promise<LandingWatch | undefined> {
  const digest = pinnedDigest(plan)
  if (!digest) return undefined
  const targetsBefore = new Map(plan.targetsBefore)
  for (const target of tagsToWrite(plan)) {
    if (!targetsBefore.has(target)) {
      await budget.take(1, signal)
      targetsBefore.set(target, toManifestRead(await readTag(reader, target, signal)))
    }
    const before = targetsBefore.get(target)!
    if (before.kind === 'unreadable' || (before.kind === 'read' && before.manifest.digest === digest))
      return undefined
  }
  for (const repository of plan.entry.untaggedRepositories) {
    await budget.take(1, signal)
    if ((await reader.manifest(repository, digest, signal)).kind !== 'absent') return undefined
  }
  const checks: TargetCheck[] = [
    ...tagsToWrite(plan).map((target) => (s: AbortSignal) => readTag(reader, target, s)),
    ...plan.entry.untaggedRepositories.map(
      (repository) => (s: AbortSignal) => reader.manifest(repository, digest, s)
    )
  ]
  return {
    targetsBefore,
    landed: (watchSignal) => watchUntilLanded(checks, digest, budget, watchSignal)
  }
}

type TargetCheck = (signal: AbortSignal) => Promise<TargetRead>

async function watchUntilLanded(
  checks: TargetCheck[],
  digest: string,
  budget: ReadBudget,
  signal: AbortSignal
): Promise<boolean> {
  let pending = checks
  let delay = FIRST_CHECK_MS
  for (let round = 0; pending.length > 0; round++) {
    await sleep(delay, signal)
    const stillPending: TargetCheck[] = []
    for (const check of pending) {
      await budget.take(1, signal)
      const read = await check(signal)
      if (read.kind === 'unreadable') return false
      if (read.kind === 'absent' || read.digest !== digest) stillPending.push(check)
    }
    pending = stillPending
    delay = round < FAST_CHECKS ? FAST_CHECK_MS : Math.min(SLOWEST_CHECK_MS, delay * BACKOFF)
  }
  return true
}

function toManifestRead(read: TargetRead): ManifestRead {
  if (read.kind === 'digest') return { kind: 'read', manifest: { digest: read.digest, platforms: [] } }
  return read.kind === 'absent'
    ? { kind: 'not-found', detail: 'not in the target registry before the import' }
    : { kind: 'unreadable', reason: 'the target registry could not be read' }
}

function readTag(reader: TargetTagReader, target: string, signal?: AbortSignal): Promise<TargetRead> {
  const { repository, tag } = splitRepoTag(target)
  return reader.tag(repository, tag, signal)
}
