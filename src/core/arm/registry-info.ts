// What the engine needs to know about an ACR: where it lives in ARM and its login server.
import type { Registry } from '@azure/arm-containerregistry'

export interface RegistryInfo {
  id: string
  name: string
  subscriptionId: string
  resourceGroup: string
  /** Lower case, e.g. prodacr.azurecr.io. */
  loginServer: string
  /** Basic, Standard or Premium (its data-plane read budget), when ARM said. */
  sku?: string
}

const REGISTRY_ID =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ContainerRegistry\/registries\/([^/]+)\/?$/i

/** Parts of a registry's ARM resource ID, or undefined when `text` is not one. */
export function parseRegistryResourceId(
  text: string
): { subscriptionId: string; resourceGroup: string; name: string } | undefined {
  const match = REGISTRY_ID.exec(text.trim())
  return match ? { subscriptionId: match[1], resourceGroup: match[2], name: match[3] } : undefined
}

/** True when `text` looks like an ARM resource ID at all (so a malformed one is reported as such). */
export function looksLikeResourceId(text: string): boolean {
  return text.trim().startsWith('/subscriptions/')
}

/** RegistryInfo from the SDK's Registry (ARM returns no resource group field: it is parsed from the ID). */
export function toRegistryInfo(registry: Registry): RegistryInfo | undefined {
  const parts = registry.id ? parseRegistryResourceId(registry.id) : undefined
  if (!parts || !registry.loginServer) return undefined
  return {
    id: registry.id as string,
    name: registry.name ?? parts.name,
    subscriptionId: parts.subscriptionId,
    resourceGroup: parts.resourceGroup,
    loginServer: registry.loginServer.toLowerCase(),
    sku: registry.sku?.name
  }
}

/** The registry whose login server (or regional endpoint of a geo-replicated registry) `host` is. */
export function registryForHost(host: string, registries: RegistryInfo[]): RegistryInfo | undefined {
  return registries.find((r) => isHostOf(host, r.loginServer))
}

/** True when `host` is the registry's login server or one of its regional endpoints (geo-replication). */
export function isHostOf(host: string, loginServer: string): boolean {
  const lower = host.toLowerCase()
  if (lower === loginServer) return true
  const dot = loginServer.indexOf('.')
  const [label, suffix] = [loginServer.slice(0, dot), loginServer.slice(dot)]
  return new RegExp(`^${escape(label)}\\.[a-z0-9-]+\\.geo${escape(suffix)}$`).test(lower)
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
