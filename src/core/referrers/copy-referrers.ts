// The referrers step of the execution, after the image landed and was verified (or was found unchanged): find
// the image's referrers in the source, import each one the target lacks by digest through the same ARM import
// and the same source access as the image (untagged; cosign's under their own tags, which cosign looks up),
// then read each back in the target. A source the runner cannot read is a warning, as it is for the image's own
// digest (ARM may reach what the runner cannot); a referrer missing after its import fails the entry.
import type { ImportImageParameters } from '@azure/arm-containerregistry'
import { importImage } from '../arm/import-image.js'
import type { ArmRegistries } from '../arm/management.js'
import type { PollPacing } from '../arm/poll-pacing.js'
import type { RegistryInfo } from '../arm/registry-info.js'
import { answeringService, urlHost } from '../errors/answering-service.js'
import { describeError } from '../errors/describe-error.js'
import { hintFor, IMPORTER_ROLE } from '../errors/hints.js'
import { joinSentences } from '../errors/user-error.js'
import { mapLimited } from '../util/map-limited.js'
import type { ReadBudget } from '../registry/read-budget.js'
import type { TargetTagReader } from '../registry/target-tag-reader.js'
import { toImportParameters, type PlannedImport } from '../plan/planned-import.js'
import { fullReference } from '../reference/image-reference.js'
import { repositoriesOf } from '../entries/entry.js'
import { referrersInTarget } from './verify-referrers.js'
import { describeArtifacts } from './artifact-kind.js'
import { findReferrers } from './find-referrers.js'
import type { Referrer } from './referrer.js'
import type { ReferrerSources } from './referrer-sources.js'
import type { Unreadable } from './referrer-source.js'
import { referrerName } from './referrer-words.js'
import type { TargetPlatforms } from './target-platforms.js'
import { isAbortError } from '../util/abort.js'

/** Referrer imports of one entry in flight at once: a signed image has a handful; ARM's write burst is shared. */
const REFERRER_IMPORTS_AT_ONCE = 4

export interface ReferrerCopyContext {
  arm: ArmRegistries
  target: RegistryInfo
  targets: TargetTagReader
  sources: ReferrerSources
  /** An index's platform manifests as the target holds them (no pull from the source). */
  platforms?: TargetPlatforms
  timeoutSeconds: number
  pacing: PollPacing
  budget?: ReadBudget
  signal?: AbortSignal
  /** Find and list what is missing, import nothing. */
  dryRun?: boolean
}

export interface ReferrerCopy {
  /** The source's referrers, every one verified in the target; empty when there are none or none could be read. */
  referrers: Referrer[]
  /** One line naming what is missing or failed; the entry fails with it. */
  failure?: string
}

export async function copyReferrers(
  plan: PlannedImport,
  digest: string,
  /** The image is a multi-arch index (its platform manifests are looked at too). */
  isIndex: boolean,
  context: ReferrerCopyContext
): Promise<ReferrerCopy> {
  const image = `${fullReference({ ...plan.reference, tag: undefined, digest })}`
  const repositories = repositoriesOf(plan.entry)
  const found = await readReferrers(plan, digest, isIndex, repositories, context)
  const { graph, acr } = found
  if (graph.kind === 'unreadable') {
    // The image itself is in place: referrers that cannot be read are a warning, never the end of the entry.
    plan.log.warning(
      joinSentences(
        `The referrers of ${image} were not copied: ${graph.reason}`,
        listingHint(graph, plan.reference.registry, acr)
      )
    )
    return { referrers: [] }
  }
  const { referrers } = graph
  if (referrers.length === 0) {
    plan.log.debug(`No signatures, SBOMs or attestations refer to ${image} in the source`)
    return { referrers }
  }
  const before = await referrersInTarget(
    referrers,
    repositories,
    context.targets,
    context.budget,
    context.signal
  )
  const missing = referrers
    .map((referrer) => ({
      referrer,
      repositories: before
        .filter((b) => b.referrer === referrer && b.state !== 'present')
        .map((b) => b.repository)
    }))
    .filter((m) => m.repositories.length > 0)
  if (missing.length === 0) {
    plan.log.info(
      `Referrers already in the target: ${describeArtifacts(referrers.map((r) => r.artifactType))}`
    )
    return { referrers }
  }
  if (context.dryRun) {
    plan.log.info(
      `Would copy ${missing.length} referrer(s) of ${image} (${describeArtifacts(missing.map((m) => m.referrer.artifactType))})`
    )
    return { referrers: missing.map((m) => m.referrer) }
  }
  const errors = (
    await mapLimited(missing, REFERRER_IMPORTS_AT_ONCE, (m) =>
      importReferrer(plan, m.referrer, m.repositories, context)
    )
  ).filter((e): e is string => e !== undefined)
  if (errors.length > 0) {
    return {
      referrers: [],
      failure: errors.length > 1 ? `${errors[0]} (and ${errors.length - 1} more)` : errors[0]
    }
  }
  const copied = missing.map((m) => m.referrer)
  const after = await referrersInTarget(copied, repositories, context.targets, context.budget, context.signal)
  const absent = after.find((a) => a.state === 'absent')
  if (absent) {
    return {
      referrers: [],
      failure: joinSentences(
        `The ${referrerName(absent.referrer)} of ${image} is not in ${context.target.loginServer}/${absent.repository} after its import`,
        'run the step again; if it repeats, check that the source still holds it'
      )
    }
  }
  if (after.some((a) => a.state === 'unreadable')) {
    plan.log.warning(
      `The copied referrers of ${image} could not be read back in ${context.target.loginServer}; ` +
        `grant the signed-in identity AcrPull (or "${IMPORTER_ROLE}") on it to verify them`
    )
  }
  plan.log.info(
    `Copied ${copied.length} referrer(s) of ${image} (${describeArtifacts(copied.map((r) => r.artifactType))}) ` +
      `to ${repositories.map((r) => `${context.target.loginServer}/${r}`).join(', ')}`
  )
  return { referrers }
}

/**
 * The warning when the image's digest is unknown (neither side could be read): its referrers cannot be looked up.
 * A refusal of an ACR source read as ourselves names the role that lets the runner read it.
 */
export function digestUnknownWarning(plan: PlannedImport, sources: ReferrerSources): string {
  const status = plan.source.kind === 'unreadable' ? plan.source.status : undefined
  const refused = status === 401 || status === 403
  return joinSentences(
    `The referrers of ${fullReference(plan.reference)} were not copied: its digest could not be read` +
      (plan.source.kind === 'unreadable' ? ` (${plan.source.reason})` : ''),
    refused && sources.readsAsUs(plan)
      ? `grant the signed-in identity AcrPull (or "${IMPORTER_ROLE}") on ${plan.reference.registry} so that its referrers can be listed`
      : undefined
  )
}

async function importReferrer(
  plan: PlannedImport,
  referrer: Referrer,
  repositories: string[],
  context: ReferrerCopyContext
): Promise<string | undefined> {
  const sourceImage = `${plan.reference.repository}@${referrer.digest}`
  const parameters: ImportImageParameters = {
    source: { ...toImportParameters(plan).source, sourceImage },
    // cosign's tags are named after the image's digest, so they can hold nothing but its signatures, and cosign
    // adds a signature by rewriting the tag: the source's is always the one to have.
    ...(referrer.tag
      ? { targetTags: repositories.map((r) => `${r}:${referrer.tag}`), mode: 'Force' }
      : { untaggedTargetRepositories: repositories, mode: 'NoForce' })
  }
  plan.log.debug(`Importing the ${referrerName(referrer)} into ${repositories.join(', ')}`)
  try {
    await importImage(context.arm, context.target, parameters, {
      wait: true,
      timeoutSeconds: context.timeoutSeconds,
      signal: context.signal,
      sourceName: `${plan.reference.registry}/${sourceImage}`,
      pacing: context.pacing
    })
    return undefined
  } catch (err) {
    if (isAbortError(err) && context.signal?.aborted) throw err
    return `Import of the ${referrerName(referrer)} failed: ${describeError(err)}`
  }
}

/** What to do when the source's referrers cannot be listed: for an ACR read as ourselves, the role to grant. */
function listingHint(graph: Unreadable, registry: string, acr: boolean): string | undefined {
  if (acr && (graph.status === 401 || graph.status === 403)) {
    return `grant the signed-in identity AcrPull (or "${IMPORTER_ROLE}") on ${registry} so that its referrers can be listed`
  }
  if (graph.status === 401 || graph.status === 403) {
    return `check the source credentials (username and password): they must allow pulls from ${registry}`
  }
  const host = urlHost(registry === 'docker.io' ? 'registry-1.docker.io' : registry)
  return hintFor({
    code: '',
    text: graph.reason,
    status: graph.status,
    host,
    service: answeringService(host)
  })
}

/** What refers to `digest` in the source; a read that fails (a dropped connection included) is `unreadable`. */
async function readReferrers(
  plan: PlannedImport,
  digest: string,
  isIndex: boolean,
  repositories: string[],
  context: ReferrerCopyContext
): Promise<{ graph: Awaited<ReturnType<typeof findReferrers>> | Unreadable; acr: boolean }> {
  let acr = true
  try {
    const reader = await context.sources.forEntry(plan, context.signal)
    if ('kind' in reader) return { graph: reader, acr }
    acr = reader.acr
    const platforms =
      isIndex && context.platforms && repositories[0]
        ? await context.platforms(repositories[0], digest, context.signal)
        : undefined
    return { graph: await findReferrers(reader.source, digest, isIndex, platforms), acr }
  } catch (err) {
    if (isAbortError(err) && context.signal?.aborted) throw err
    return { graph: { kind: 'unreadable', reason: describeError(err) }, acr }
  }
}
