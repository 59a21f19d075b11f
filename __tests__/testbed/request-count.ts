// The request counters of `testbed.count()` and the control API: which logged requests match a host / method /
// path filter.
import type { LoggedRequest, RequestFilter } from './types.js'

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
