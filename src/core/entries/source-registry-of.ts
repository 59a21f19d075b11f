// Which registry an entry's source is read from, decided from what was written alone (no request): the entry's
// own source-registry always; a default source-registry only for a source written without a registry host; else
// the host in front of the source, or Docker Hub for `nginx` and `user/repo`. Credentials are scoped by it.
import type { RegistryInput } from '../arm/registry-input.js'
import { isHostOf } from '../arm/registry-info.js'
import { DOCKER_HUB, looksLikeHost, parseSourceReference } from '../reference/parse-reference.js'
import type { RequestedEntry } from './requested-entry.js'

/** The registry the source is read from, when a source-registry (the entry's own, or a default) applies. */
export function registryOf({
  source,
  sourceRegistry
}: Pick<RequestedEntry, 'source' | 'sourceRegistry'>): RegistryInput | undefined {
  if (!sourceRegistry || sourceRegistry.strict) return sourceRegistry?.input
  const host = referenceHost(source.value)
  return host && !isHostOf(host, sourceRegistry.input.loginServer) ? undefined : sourceRegistry.input
}

/** The registry host a reference starts with, if any (the distribution rule). */
export function referenceHost(reference: string): string | undefined {
  const slash = reference.indexOf('/')
  const host = slash > 0 ? reference.slice(0, slash) : ''
  return host && looksLikeHost(host) ? host : undefined
}

/** The source's registry host as the entry's reference will name it (`docker.io`, `devacr.azurecr.io`). */
export function sourceHostOf(requested: Pick<RequestedEntry, 'source' | 'sourceRegistry'>): string {
  const registry = registryOf(requested)
  if (registry) return registry.loginServer
  return canonicalHost(referenceHost(requested.source.value.trim()) ?? '')
}

/** `registry:` as written in credentials, in the form a reference names it (Docker Hub's aliases are docker.io). */
export function canonicalHost(host: string): string {
  if (!host) return DOCKER_HUB
  try {
    // The reference parser owns the aliases (index.docker.io, registry-1.docker.io): ask it with a placeholder.
    return parseSourceReference(`${host.trim()}/a`).reference.registry
  } catch {
    // A malformed source: the entries stage refuses it with its own message, naming the whole source.
    return host.toLowerCase()
  }
}

/** True when credentials written for `named` belong to a source on `host`. */
export function isSameRegistry(named: string, host: string): boolean {
  const canonical = canonicalHost(named)
  return canonical === host || isHostOf(host, canonical)
}
