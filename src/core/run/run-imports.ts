// Orchestrates one request: resolve the target registry, plan each source, then run the imports (at most four
// at once), each reading the source digest, importing that digest and reading the target back.
import type { TokenCredential } from '@azure/core-auth'
import { ArmRegistries } from '../arm/management.js'
import { looksLikeResourceId, parseRegistryResourceId, type RegistryInfo } from '../arm/registry-info.js'
import { resolveRegistry } from '../arm/resolve-registry.js'
import type { Cloud } from '../cloud/clouds.js'
import type { ImportRequest, Logger, RunOutcome } from '../contract.js'
import { describeError } from '../errors/describe-error.js'
import { UserError } from '../errors/user-error.js'
import { buildPlan, validateRequest, type ResolvedSourceRegistry } from '../plan/build-plan.js'
import { describePlan } from '../plan/planned-import.js'
import { parseSourceReference } from '../reference/parse-reference.js'
import { createManifestReaders } from '../registry/read-manifests.js'
import { summaryMarkdown } from '../summary.js'
import { BufferedLog } from './buffered-log.js'
import { importOne } from './import-one.js'
import { mapLimited } from './map-limited.js'

/** Where and as whom to import: the credential from createCredential and the cloud from resolveCloud. */
export interface AzureTarget {
  credential: TokenCredential
  cloud: Cloud
  /** Subscription holding the target (needed when the registry is given by name or login server). */
  subscriptionId?: string
}

export interface RunOptions {
  /** Cancels everything in flight (the host's cancellation). */
  signal?: AbortSignal
}

const MAX_PARALLEL_IMPORTS = 4

/** Runs every import of `request`; throws UserError only for errors that stop all imports. */
export async function runImports(
  request: ImportRequest,
  azure: AzureTarget,
  log: Logger,
  options: RunOptions = {}
): Promise<RunOutcome> {
  if (request.password) log.setSecret(request.password)
  if (!Number.isFinite(request.timeoutSeconds) || request.timeoutSeconds <= 0) {
    throw new UserError(
      `timeout must be a positive number of seconds, not '${request.timeoutSeconds}'`,
      'e.g. timeout: 600'
    )
  }
  validateRequest(request)
  const arm = new ArmRegistries(azure.credential, azure.cloud, options.signal)
  const subscriptionId = request.subscriptionId || azure.subscriptionId
  const target = await resolveRegistry(request.registry, 'target', arm, subscriptionId)
  log.info(`Target registry: ${target.loginServer} (${target.id})`)
  const lookIn = subscriptionId ?? target.subscriptionId
  const sourceRegistry = request.sourceRegistry
    ? await resolveSourceRegistry(request, arm, lookIn, azure.cloud, log)
    : undefined
  const visibleRegistries = needsRegistryList(request, azure.cloud) ? await listQuietly(arm, lookIn, log) : []
  const plans = buildPlan(request, { target, visibleRegistries, sourceRegistry })
  if (request.dryRun) {
    log.notice(`Dry run: ${plans.length} import(s) planned, nothing is imported`)
    plans.forEach((p) => log.info(describePlan(p, target.loginServer)))
  }

  const readers = createManifestReaders(azure.credential, azure.cloud)
  const context = {
    arm,
    readers,
    target,
    wait: request.wait,
    dryRun: request.dryRun,
    timeoutSeconds: request.timeoutSeconds,
    signal: options.signal
  }
  const results = await mapLimited(plans, MAX_PARALLEL_IMPORTS, async (plan) => {
    const buffered = new BufferedLog()
    const result = await importOne(plan, context, buffered)
    await buffered.flush(log, `${statusWord(result.status)} ${result.source}`)
    return result
  })
  const failed = results.filter((r) => r.status === 'failed').length
  return {
    digest: results.find((r) => r.digest)?.digest ?? '',
    results,
    summaryMarkdown: summaryMarkdown(results, { dryRun: request.dryRun }),
    failed
  }
}

async function resolveSourceRegistry(
  request: ImportRequest,
  arm: ArmRegistries,
  subscriptionId: string,
  cloud: Cloud,
  log: Logger
): Promise<ResolvedSourceRegistry> {
  const given = (request.sourceRegistry ?? '').trim()
  if (looksLikeResourceId(given)) {
    if (request.password) {
      throw new UserError(
        'A source registry given by resource ID is read with your Entra identity, so username/password do not apply',
        'give source-registry as its login server to use the credentials, or drop them'
      )
    }
    try {
      return { kind: 'acr', registry: await resolveRegistry(given, 'source', arm, subscriptionId) }
    } catch (err) {
      // ARM imports by resource ID even when we may not read the registry ourselves (e.g. another subscription).
      const parts = parseRegistryResourceId(given)
      if (!parts || err instanceof UserError) throw err
      log.debug(`Could not read the source registry ${given}: ${describeError(err)}`)
      const loginServer = `${parts.name.toLowerCase()}${cloud.acrLoginSuffix}`
      return { kind: 'acr', registry: { id: given, ...parts, loginServer } satisfies RegistryInfo }
    }
  }
  if (request.password && given.includes('.'))
    return { kind: 'loginServer', loginServer: given.toLowerCase() }
  const registry = await resolveRegistry(given, 'source', arm, subscriptionId)
  return request.password
    ? { kind: 'loginServer', loginServer: registry.loginServer }
    : { kind: 'acr', registry }
}

/** Only ACR hosts can be sent by resource ID; don't list registries for Docker Hub or MCR sources. */
function needsRegistryList(request: ImportRequest, cloud: Cloud): boolean {
  if (request.password || request.sourceRegistry) return false
  return request.sources.some((line) => {
    const source = line.split('=>')[0].trim()
    return source !== '' && parseSourceReference(source).reference.registry.endsWith(cloud.acrLoginSuffix)
  })
}

/** Without list rights, ACR sources still work by login server (registryUri); so a failed list is not fatal. */
async function listQuietly(arm: ArmRegistries, subscriptionId: string, log: Logger): Promise<RegistryInfo[]> {
  try {
    return await arm.list(subscriptionId)
  } catch (err) {
    log.debug(`Could not list the registries of subscription ${subscriptionId}: ${describeError(err)}`)
    return []
  }
}

function statusWord(status: string): string {
  return { imported: 'Imported', queued: 'Queued', planned: 'Planned', failed: 'Failed' }[status] ?? status
}
