// The verification step, run after an import lands: reads every target tag back and decides the import's digest
// (digestVerdict). The first tag decides; every further tag must point at the same digest.
import type { RegistryInfo } from '../arm/registry-info.js'
import {
  pinnedDigest,
  sourceHiddenFromRunner,
  tagsToWrite,
  type PlannedImport
} from '../plan/planned-import.js'
import { fullReference } from '../reference/image-reference.js'
import type { ManifestRead } from '../registry/manifest-info.js'
import { readTargetTag, type ManifestReaders } from '../resolve/manifest-readers.js'
import type { EntryLog } from '../log/entry-log.js'
import { shortDigest } from '../util/digest.js'
import { digestVerdict, type DigestVerdict } from './digest-verdict.js'

export interface TargetReading {
  readers: ManifestReaders
  target: RegistryInfo
  signal?: AbortSignal
}

/** What the target holds after the import, as a verdict (failure set when it does not hold the source). */
export async function verifyImport(plan: PlannedImport, context: TargetReading): Promise<DigestVerdict> {
  const [firstTag, ...otherTags] = tagsToWrite(plan)
  const target = firstTag ? await readTarget(firstTag, context, plan.log) : undefined
  const sourceDigest = pinnedDigest(plan)
  if (firstTag && target?.kind === 'read' && sourceDigest) {
    const overwritten = anotherWriter(plan, firstTag, target.manifest.digest, sourceDigest, context)
    if (overwritten) return { ...sourceVerdict(plan, context), ...overwritten }
  }
  const verdict = digestVerdict({
    source: plan.source,
    givenDigest: plan.reference.digest,
    target,
    ...names(plan, context)
  })
  if (verdict.failure) return verdict
  for (const tag of otherTags) {
    const read = await readTarget(tag, context, plan.log)
    const overwritten =
      read.kind === 'read' && sourceDigest
        ? anotherWriter(plan, tag, read.manifest.digest, sourceDigest, context)
        : undefined
    if (overwritten) return { ...verdict, ...overwritten }
    const failure = tagDisagrees(tag, read, verdict.digest, context)
    if (failure) return { ...verdict, failure }
  }
  return { ...verdict, failure: undefined }
}

/**
 * A tag that holds neither the imported digest nor the one it held before the import was written by someone else
 * while the import ran (two runs importing into one tag): running the import again would only race again.
 */
function anotherWriter(
  plan: PlannedImport,
  tag: string,
  now: string,
  sourceDigest: string,
  context: TargetReading
): Pick<DigestVerdict, 'failure' | 'failureHint'> | undefined {
  const before = plan.targetsBefore?.get(tag)
  if (now === sourceDigest || !before || before.kind === 'unreadable') return undefined
  if (before.kind === 'read' && before.manifest.digest === now) return undefined
  const held =
    before.kind === 'read'
      ? `the ${before.manifest.digest} it held before`
      : 'nothing (it did not exist before)'
  return {
    failure:
      `Another writer changed ${context.target.loginServer}/${tag} during the import: it now holds ${now}, ` +
      `neither the imported ${sourceDigest} nor ${held}`,
    failureHint:
      'find the other job or person writing this tag and let one of them own it; then run the step again (with force: true to overwrite it)'
  }
}

/** The verdict before an import (dry run, wait: false): only the source could have been read. */
export function sourceVerdict(plan: PlannedImport, context: TargetReading): DigestVerdict {
  return digestVerdict({ source: plan.source, givenDigest: plan.reference.digest, ...names(plan, context) })
}

function names(plan: PlannedImport, context: TargetReading) {
  const [firstTag] = tagsToWrite(plan)
  const { untaggedRepositories } = plan.entry
  return {
    sourceName: fullReference(plan.reference),
    targetName: `${context.target.loginServer}/${firstTag ?? untaggedRepositories[0] ?? ''}`,
    targetLoginServer: context.target.loginServer,
    sourceHidden: sourceHiddenFromRunner(plan)
  }
}

async function readTarget(tag: string, context: TargetReading, log: EntryLog): Promise<ManifestRead> {
  const read = await readTargetTag(context.readers, context.target.loginServer, tag, context.signal)
  // Short here: the image's full digest is printed once, on the line that says it was imported.
  if (read.kind === 'read') log.info(`Target digest (${tag}): ${shortDigest(read.manifest.digest)}`)
  return read
}

function tagDisagrees(
  tag: string,
  read: ManifestRead,
  digest: string,
  context: TargetReading
): string | undefined {
  if (!digest) return undefined
  const name = `${context.target.loginServer}/${tag}`
  if (read.kind === 'not-found') return `ARM reported success, but ${name} is not in the target registry`
  if (read.kind === 'read' && read.manifest.digest !== digest)
    return `Digest mismatch: ${name} is ${read.manifest.digest}, but the import was ${digest}`
  return undefined
}
