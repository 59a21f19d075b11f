// The request counters of `testbed.count()` and the control API: which logged requests match a host / method /
// path filter; and the named counters of `testbed.counters()`, kept as requests arrive.
import type { LoggedRequest, RequestCounters, RequestFilter } from './types.js'

const pathOf = (url: string): string => url.split('?')[0]

function matches(request: LoggedRequest, filter: RequestFilter): boolean {
  if (filter.host !== undefined && request.host.toLowerCase() !== filter.host.toLowerCase()) return false
  if (filter.method !== undefined && request.method.toUpperCase() !== filter.method.toUpperCase())
    return false
  if (typeof filter.path === 'string') return pathOf(request.url) === filter.path
  if (filter.path instanceof RegExp) return filter.path.test(request.url)
  return true
}

export function matchingRequests(requests: readonly LoggedRequest[], filter: RequestFilter): LoggedRequest[] {
  return requests.filter((request) => matches(request, filter))
}

export function countRequests(requests: readonly LoggedRequest[], filter: RequestFilter): number {
  return matchingRequests(requests, filter).length
}

const MANIFEST_PATH = /^\/v2\/.+\/manifests\/[^/]+$/
const IMPORT_IMAGE_PATH =
  /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.ContainerRegistry\/registries\/[^/]+\/importImage$/i
const OPERATION_RESULT_PATH =
  /^\/subscriptions\/[^/]+\/providers\/Microsoft\.ContainerRegistry\/locations\/[^/]+\/operationResults\/[^/]+$/i

export class RequestCounterSet {
  private readonly counts: RequestCounters = {
    dockerHubManifestGets: 0,
    dockerHubManifestHeads: 0,
    importImagePosts: 0,
    importPolls: 0,
    proxyTunnels: 0
  }

  constructor(
    private readonly dockerHubHosts: readonly string[],
    private readonly armHosts: readonly string[]
  ) {}

  /** Counts one request as it arrives. */
  observe(request: Pick<LoggedRequest, 'host' | 'method' | 'url'>): void {
    const host = request.host.toLowerCase()
    const path = pathOf(request.url)
    if (this.dockerHubHosts.includes(host) && MANIFEST_PATH.test(path)) {
      if (request.method === 'GET') this.counts.dockerHubManifestGets++
      else if (request.method === 'HEAD') this.counts.dockerHubManifestHeads++
    } else if (this.armHosts.includes(host)) {
      if (request.method === 'POST' && IMPORT_IMAGE_PATH.test(path)) this.counts.importImagePosts++
      else if (request.method === 'GET' && OPERATION_RESULT_PATH.test(path)) this.counts.importPolls++
    }
  }

  /** Counts one CONNECT tunnel as the proxy opens it. */
  tunnelOpened(): void {
    this.counts.proxyTunnels++
  }

  snapshot(): RequestCounters {
    return { ...this.counts }
  }
}
