// The resolve stage: finds the target registry and the source registries in ARM, and decides for each entry
// how ARM reaches its source. Only ACR hosts can be sent by resource ID, so the subscription's registries are
// listed only when some source is on an ACR host.
import type { ArmRegistries } from '../arm/management.js'
import type { RegistryInfo } from '../arm/registry-info.js'
import { registryForHost } from '../arm/registry-info.js'
import type { RegistryInput } from '../arm/registry-input.js'
import {
  findTargetRegistry,
  registriesQuietly,
  resolveRegistry,
  resolveSourceRegistryById
} from '../arm/resolve-registry.js'
import type { Cloud } from '../cloud/clouds.js'
import type { Entry } from '../entries/entry.js'
import { describeError } from '../errors/describe-error.js'
import type { Logger } from '../log/logger.js'
import type { ResolvedEntry, SourceAccess } from './source-access.js'
import { isAbortError } from '../util/abort.js'

export interface ResolveContext {
  target: RegistryInput
  arm: ArmRegistries
  cloud: Cloud
  /** The subscription the host signed in to (service connection, subscription-id, creds). */
  subscriptionId?: string
  log: Logger
}

export interface ResolvedStep {
  target: RegistryInfo
  imports: ResolvedEntry[]
}

/** A `source-registry`: an ACR addressed by ID, or a login server reached with credentials. */
export type SourceRegistry =
  { kind: 'acr'; registry: RegistryInfo } | { kind: 'loginServer'; loginServer: string }

export async function resolveEntries(entries: Entry[], context: ResolveContext): Promise<ResolvedStep> {
  const { arm, log } = context
  const target = await findTargetRegistry(context.target, arm, context.subscriptionId, log)
  log.info(`Target registry: ${target.loginServer} (${target.id})`)
  const lookIn = context.subscriptionId ?? target.subscriptionId
  const targets = await resolveOtherTargets(entries, context, lookIn)
  const sourceRegistries = await resolveSourceRegistries(entries, context, lookIn)
  const visible = needsRegistryList(entries, context) ? await registriesQuietly(arm, lookIn, log) : []
  const imports = entries.map((entry): ResolvedEntry => {
    const other = entry.targetRegistry && targets.get(entry.targetRegistry.loginServer)
    const resolved = resolveEntry(
      entry,
      entry.sourceRegistry && sourceRegistries.get(registryKey(entry.sourceRegistry)),
      visible,
      other?.registry ?? target
    )
    return other?.failure !== undefined ? { ...resolved, failure: other.failure } : resolved
  })
  return { target, imports }
}

/**
 * The registries that targets name besides the step's, each found once. One that cannot be found fails only
 * the entries written into it; it stays known by the login server the user wrote, for their results (those
 * entries fail in the plan, so nothing is ever sent to it).
 */
async function resolveOtherTargets(
  entries: Entry[],
  context: ResolveContext,
  subscriptionId: string
): Promise<Map<string, { registry: RegistryInfo; failure?: string }>> {
  const found = new Map<string, { registry: RegistryInfo; failure?: string }>()
  for (const entry of entries) {
    const input = entry.targetRegistry
    if (!input || found.has(input.loginServer)) continue
    try {
      const registry = await findTargetRegistry(input, context.arm, subscriptionId, context.log)
      context.log.info(`Target registry: ${registry.loginServer} (${registry.id})`)
      found.set(input.loginServer, { registry })
    } catch (err) {
      if (isAbortError(err)) throw err
      const named = {
        id: '',
        name: input.name,
        subscriptionId: '',
        resourceGroup: '',
        loginServer: input.loginServer
      }
      found.set(input.loginServer, { registry: named, failure: describeError(err) })
    }
  }
  return found
}

/** Each distinct source registry is found once, however many entries read from it. */
async function resolveSourceRegistries(
  entries: Entry[],
  context: ResolveContext,
  subscriptionId: string
): Promise<Map<string, SourceRegistry>> {
  const readers = new Map<string, { input: RegistryInput; entries: Entry[] }>()
  for (const entry of entries) {
    if (!entry.sourceRegistry) continue
    const key = registryKey(entry.sourceRegistry)
    const group = readers.get(key) ?? { input: entry.sourceRegistry, entries: [] }
    group.entries.push(entry)
    readers.set(key, group)
  }
  const found = new Map<string, SourceRegistry>()
  for (const [key, group] of readers) {
    const withCredentials = group.entries.every((e) => e.credentials)
    found.set(key, await resolveSourceRegistry(group.input, withCredentials, context, subscriptionId))
  }
  return found
}

function registryKey(input: RegistryInput): string {
  return input.text.toLowerCase()
}

async function resolveSourceRegistry(
  input: RegistryInput,
  withCredentials: boolean,
  context: ResolveContext,
  subscriptionId: string
): Promise<SourceRegistry> {
  if (input.kind === 'resourceId')
    return { kind: 'acr', registry: await resolveSourceRegistryById(input, context.arm, context.log) }
  // When every entry of it has credentials, ARM reads the registry by URI, as any registry; no need to find it.
  if (withCredentials && input.kind === 'loginServer')
    return { kind: 'loginServer', loginServer: input.loginServer }
  const registry = await resolveRegistry(input, 'source', context.arm, subscriptionId)
  return withCredentials
    ? { kind: 'loginServer', loginServer: registry.loginServer }
    : { kind: 'acr', registry }
}

export function resolveEntry(
  entry: Entry,
  sourceRegistry: SourceRegistry | undefined,
  visible: RegistryInfo[],
  target: RegistryInfo
): ResolvedEntry {
  const uri: SourceAccess = { kind: 'registryUri', credentials: entry.credentials }
  if (sourceRegistry) {
    const loginServer =
      sourceRegistry.kind === 'acr' ? sourceRegistry.registry.loginServer : sourceRegistry.loginServer
    const reference = { ...entry.reference, registry: loginServer }
    const byId = sourceRegistry.kind === 'acr' && !entry.credentials
    return {
      entry,
      reference,
      access: byId ? { kind: 'resourceId', registry: sourceRegistry.registry } : uri,
      target
    }
  }
  const acr = entry.credentials ? undefined : registryForHost(entry.reference.registry, visible)
  if (!acr) return { entry, reference: entry.reference, access: uri, target }
  return {
    entry,
    reference: { ...entry.reference, registry: acr.loginServer },
    access: { kind: 'resourceId', registry: acr },
    target
  }
}

function needsRegistryList(entries: Entry[], context: ResolveContext): boolean {
  return entries.some(
    (e) => !e.sourceRegistry && !e.credentials && e.reference.registry.endsWith(context.cloud.acrLoginSuffix)
  )
}
