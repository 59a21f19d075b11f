// One import, start to end: read the source digest, import exactly that digest, read the target tag back.
import { importImage } from '../arm/import-image.js'
import type { ArmRegistries } from '../arm/management.js'
import type { RegistryInfo } from '../arm/registry-info.js'
import type { ImportResult } from '../contract.js'
import { describeError } from '../errors/describe-error.js'
import { UserError } from '../errors/user-error.js'
import { describePlan, toImportParameters, type PlannedImport } from '../plan/planned-import.js'
import { fullReference } from '../reference/image-reference.js'
import type { ManifestRead } from '../registry/manifest-info.js'
import type { ManifestReaders } from '../registry/read-manifests.js'
import type { BufferedLog } from './buffered-log.js'
import { digestVerdict } from './digest-verdict.js'

export interface ImportContext {
  arm: ArmRegistries
  readers: ManifestReaders
  target: RegistryInfo
  wait: boolean
  dryRun: boolean
  timeoutSeconds: number
  signal?: AbortSignal
}

/** What reading the target back needs. */
type TargetReading = Pick<ImportContext, 'readers' | 'target' | 'signal'>

export async function importOne(
  plan: PlannedImport,
  context: ImportContext,
  log: BufferedLog
): Promise<ImportResult> {
  const started = Date.now()
  const { target } = context
  const sourceName = fullReference(plan.reference)
  const targets = [
    ...plan.targetTags.map((t) => `${target.loginServer}/${t}`),
    ...plan.untaggedRepositories.map((r) => `${target.loginServer}/${r}`)
  ]
  const result = (
    fields: Pick<ImportResult, 'digest' | 'platforms' | 'status'> & { error?: string }
  ): ImportResult => ({
    source: sourceName,
    targets,
    ...fields,
    durationMs: Date.now() - started
  })
  try {
    plan.notices.forEach((n) => log.notice(n))
    log.info(describePlan(plan, target.loginServer))
    const source = await readSource(plan, context, log)
    if (source.kind === 'not-found') {
      throw new UserError(
        `Source ${sourceName} was not found (${source.detail})`,
        'check the repository and the tag or digest'
      )
    }
    const resolved = source.kind === 'read' ? source.manifest.digest : undefined
    const parameters = toImportParameters(plan, resolved)
    log.info(
      `Importing ${parameters.source.sourceImage}${resolved ? ' (pinned to the digest just read)' : ''}`
    )
    if (context.dryRun) {
      const verdict = digestVerdict({
        source,
        givenDigest: plan.reference.digest,
        ...names(plan, context, sourceName)
      })
      return result({ digest: verdict.digest, platforms: verdict.platforms, status: 'planned' })
    }
    const status = await importImage(context.arm, target, parameters, {
      wait: context.wait,
      timeoutSeconds: context.timeoutSeconds,
      signal: context.signal,
      sourceName
    })
    if (status === 'queued') {
      log.warning(
        'The import was queued without waiting (wait: false): failures are not reported and the digest is not verified'
      )
      const digest = resolved ?? plan.reference.digest ?? ''
      return result({ digest, platforms: source.kind === 'read' ? source.manifest.platforms : [], status })
    }
    const firstTag = plan.targetTags[0]
    const targetRead = firstTag ? await readTarget(firstTag, context, log) : undefined
    const verdict = digestVerdict({
      source,
      givenDigest: plan.reference.digest,
      target: targetRead,
      ...names(plan, context, sourceName)
    })
    verdict.warnings.forEach((w) => log.warning(w))
    const failure =
      verdict.failure ?? (await otherTagsDisagree(plan.targetTags.slice(1), verdict.digest, context, log))
    if (failure)
      throw new UserError(failure, 'run the import again; if it repeats, check the source registry')
    log.info(`Imported ${targets.join(', ')}${verdict.digest ? ` at ${verdict.digest}` : ''}`)
    return result({ digest: verdict.digest, platforms: verdict.platforms, status: 'imported' })
  } catch (err) {
    const line =
      err instanceof UserError ? err.format() : `Import of ${sourceName} failed: ${describeError(err)}`
    // Printed in the import's own log group; the host reports the failure once, as the step's error.
    log.info(line)
    if (!(err instanceof UserError) && err instanceof Error && err.stack) log.debug(err.stack)
    return result({ digest: '', platforms: [], status: 'failed', error: line })
  }
}

function names(plan: PlannedImport, context: ImportContext, sourceName: string) {
  const firstTag = plan.targetTags[0] ?? plan.untaggedRepositories[0] ?? ''
  return {
    sourceName,
    targetName: `${context.target.loginServer}/${firstTag}`,
    targetLoginServer: context.target.loginServer
  }
}

async function readSource(
  plan: PlannedImport,
  context: ImportContext,
  log: BufferedLog
): Promise<ManifestRead> {
  const read = await safely(() => context.readers.readSource(plan, context.signal))
  if (read.kind === 'read') log.info(`Source digest: ${read.manifest.digest}`)
  else if (read.kind === 'unreadable') log.debug(`Source digest not readable: ${read.reason}`)
  return read
}

async function readTarget(tag: string, context: TargetReading, log: BufferedLog): Promise<ManifestRead> {
  const colon = tag.lastIndexOf(':')
  const read = await safely(() =>
    context.readers.readTarget(
      context.target.loginServer,
      tag.slice(0, colon),
      tag.slice(colon + 1),
      context.signal
    )
  )
  if (read.kind === 'read') log.info(`Target digest (${tag}): ${read.manifest.digest}`)
  return read
}

/**
 * The further target tags of an import must point at the digest the first one has. Returns what is wrong, if
 * anything; tags that cannot be read are not held against the import (the first tag's verdict said why).
 */
export async function otherTagsDisagree(
  tags: string[],
  digest: string,
  context: TargetReading,
  log: BufferedLog
): Promise<string | undefined> {
  if (!digest) return undefined
  for (const tag of tags) {
    const read = await readTarget(tag, context, log)
    const name = `${context.target.loginServer}/${tag}`
    if (read.kind === 'not-found') return `ARM reported success, but ${name} is not in the target registry`
    if (read.kind === 'read' && read.manifest.digest !== digest)
      return `Digest mismatch: ${name} is ${read.manifest.digest}, but the import was ${digest}`
  }
  return undefined
}

/** A failed read must not fail the import (ARM may reach what the runner cannot); cancellation still stops it. */
async function safely(read: () => Promise<ManifestRead>): Promise<ManifestRead> {
  try {
    return await read()
  } catch (err) {
    if (err instanceof Error && err.name === 'AbortError') throw err
    return { kind: 'unreadable', reason: describeError(err) }
  }
}
