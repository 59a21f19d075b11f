// The resolve stage: finds the target registry and the source registries in ARM, and decides for each entry
// how ARM reaches its source. Only ACR hosts can be sent by resource ID, so the subscription's registries are
// listed only when some source is on an ACR host.
import type { ArmRegistries } from '../arm/management.js'
import type { RegistryInfo } from '../arm/registry-info.js'
import { registryForHost } from '../arm/registry-info.js'
import type { RegistryInput } from '../arm/registry-input.js'
import { resolveRegistry, resolveSourceRegistryById } from '../arm/resolve-registry.js'
import type { Cloud } from '../cloud/clouds.js'
import type { Entry } from '../entries/entry.js'
import { describeError } from '../errors/describe-error.js'
import type { Logger } from '../log/logger.js'
import type { ResolvedEntry, SourceAccess } from './source-access.js'

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
  const target = await resolveRegistry(context.target, 'target', arm, context.subscriptionId)
  log.info(`Target registry: ${target.loginServer} (${target.id})`)
  const lookIn = context.subscriptionId ?? target.subscriptionId
  const sourceRegistries = await resolveSourceRegistries(entries, context, lookIn)
  const visible = needsRegistryList(entries, context) ? await listQuietly(arm, lookIn, log) : []
  const imports = entries.map((entry) =>
    resolveEntry(
      entry,
      entry.sourceRegistry && sourceRegistries.get(registryKey(entry.sourceRegistry)),
      visible
    )
  )
  return { target, imports }
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
  visible: RegistryInfo[]
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
      access: byId ? { kind: 'resourceId', registry: sourceRegistry.registry } : uri
    }
  }
  const acr = entry.credentials ? undefined : registryForHost(entry.reference.registry, visible)
  if (!acr) return { entry, reference: entry.reference, access: uri }
  return {
    entry,
    reference: { ...entry.reference, registry: acr.loginServer },
    access: { kind: 'resourceId', registry: acr }
  }
}

function needsRegistryList(entries: Entry[], context: ResolveContext): boolean {
  return entries.some(
    (e) => !e.sourceRegistry && !e.credentials && e.reference.registry.endsWith(context.cloud.acrLoginSuffix)
  )
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
