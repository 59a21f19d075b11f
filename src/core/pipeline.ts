// The engine as one pipeline of stages, data flowing one way:
//   request -> entries -> resolved -> expanded (tag patterns) -> plan -> signature gate -> execution (import, verify, referrers, lock) -> results
// readEntries runs the stages that need no network, so malformed input is refused before the first request;
// runPipeline runs the rest. Each stage lives in a folder of its own; see ARCHITECTURE.md.
import type { TokenCredential } from '@azure/core-auth'
import { ArmRegistries } from './arm/management.js'
import { parseRegistryInput } from './arm/registry-input.js'
import type { Cloud } from './cloud/clouds.js'
import { buildEntries, type BuiltEntries } from './entries/build-entries.js'
import type { EntryContext } from './entries/entry-context.js'
import { expandTagPatterns } from './expand/expand-tag-patterns.js'
import { createTagLister } from './expand/list-tags.js'
import { dryRunNotice } from './results/outcome-counts.js'
import { patternOutcomes } from './results/pattern-outcome.js'
import { summaryEntries } from './results/summary-entries.js'
import { createSupplyChainAccess } from './execute/supply-chain-access.js'
import { executePlans } from './execute/execute-plans.js'
import { createTargetTagReader } from './registry/target-tag-reader.js'
import { planImports } from './plan/plan-imports.js'
import { createReferrerSources } from './referrers/referrer-sources.js'
import { SIGNATURE_VERIFIERS } from './signatures/check-signature.js'
import { gateImports } from './signatures/gate.js'
import { createManifestReaders } from './resolve/manifest-readers.js'
import { REQUEST_TIMEOUT_MS, sendHttp } from './registry/http.js'
import { RegistryGateway } from './registry/registry-gateway.js'
import { AcrRepositoryClients } from './registry/acr-repository-clients.js'
import type { StepRequest } from './request/step-request.js'
import { resolveEntries } from './resolve/resolve-entries.js'
import { stepOutcome, type StepOutcome } from './results/step-outcome.js'
import type { Logger } from './log/logger.js'

/** Where and as whom to import. */
export interface AzureSession {
  credential: TokenCredential
  cloud: Cloud
  /** The subscription the sign-in names (service connection, subscription-id, creds), if any. */
  subscriptionId?: string
}

/** The request's entries and the registries they name, checked without the network. */
export interface ReadyStep extends EntryContext, BuiltEntries {
  request: StepRequest
}

export function readEntries(request: StepRequest, cloud: Cloud): ReadyStep {
  const target = parseRegistryInput(request.registry, 'target', cloud.acrLoginSuffix)
  const sourceRegistry = request.sourceRegistry
    ? parseRegistryInput(request.sourceRegistry, 'source', cloud.acrLoginSuffix)
    : undefined
  const context = { target, sourceRegistry, acrLoginSuffix: cloud.acrLoginSuffix }
  return { request, ...context, ...buildEntries(request, context) }
}

export async function runPipeline(
  step: ReadyStep,
  azure: AzureSession,
  log: Logger,
  signal?: AbortSignal
): Promise<StepOutcome> {
  const { request } = step
  const arm = new ArmRegistries(azure.credential, azure.cloud, signal)
  const { target, imports } = await resolveEntries(step.entries, {
    target: step.target,
    arm,
    cloud: azure.cloud,
    subscriptionId: azure.subscriptionId,
    log
  })
  // One way into OCI registries for every stage: one session (one token) per repository for the whole step.
  const gateway = new RegistryGateway(sendHttp, Math.min(REQUEST_TIMEOUT_MS, request.timeoutSeconds * 1000))
  // And one ACR client per repository, shared by every stage that reads or writes an ACR, with one token
  // exchange per registry.
  const acrClients = new AcrRepositoryClients(azure.credential, azure.cloud.acrAudience)
  const readers = createManifestReaders(azure.cloud, gateway, acrClients)
  const expanded = await expandTagPatterns(imports, {
    listTags: createTagLister(azure.cloud, gateway, acrClients),
    readers,
    log,
    signal
  })
  const planned = await planImports(expanded.imports, {
    readers,
    skipUnchanged: request.skipUnchanged,
    dryRun: request.dryRun,
    signal
  })
  // Where sources' signatures and other referrers are read, by the gate and the referrers step alike.
  const referrerSources = createReferrerSources(azure.cloud, gateway, acrClients.tokens)
  // The signature gate: entries with `verify:` go on only with a signature a policy trusts (enforce).
  const plans = await gateImports(planned, {
    sources: referrerSources,
    verifiers: SIGNATURE_VERIFIERS,
    signal
  })
  // What the execution reads and writes each target registry with (the step's, and any other its targets name).
  const registryAccess = (loginServer: string) => ({
    targetReader: createTargetTagReader(loginServer, acrClients),
    supplyChain: createSupplyChainAccess(loginServer, referrerSources, acrClients)
  })
  const results = await executePlans(
    plans,
    {
      arm,
      readers,
      target,
      wait: request.wait,
      dryRun: request.dryRun,
      timeoutSeconds: request.timeoutSeconds,
      concurrency: request.concurrency,
      failFast: request.failFast,
      ...registryAccess(target.loginServer),
      otherRegistry: (registry) => registryAccess(registry.loginServer),
      signal
    },
    log
  )
  // Counted as the summary counts, after the run: the plan alone does not know what the execution found.
  if (request.dryRun) log.notice(dryRunNotice(results))
  return stepOutcome(results, {
    dryRun: request.dryRun,
    registry: target.loginServer,
    shard: step.shard,
    patterns: patternOutcomes(expanded.patterns, plans, results),
    entries: summaryEntries(plans)
  })
}
