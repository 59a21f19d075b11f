// Lists a repository's tags on any OCI registry: `GET /v2/<name>/tags/list?n=<page>`, following the
// `Link: <...>; rel="next"` header to the end (distribution spec, "Content discovery"). Registries may cap a page
// below `n` whatever it asks, so only the Link header says whether more remain.
import { apiHost, registryErrorText, type OciReadRequest } from './oci-manifest-reader.js'
import type { RegistryGateway } from './registry-gateway.js'
import type { TagListing } from './tag-listing.js'

/** Tags asked for per page: Docker Hub and ACR answer this many at once. */
export const TAGS_PAGE_SIZE = 1000
/** A repository with more pages than this is a registry that pages in circles, not one with 10 million tags. */
const MAX_PAGES = 10_000

export type OciListRequest = Omit<OciReadRequest, 'reference'>

export async function listOciTags(request: OciListRequest, gateway: RegistryGateway): Promise<TagListing> {
  const session = gateway.session(apiHost(request.registry), request.repository, request.credentials)
  const where = `${request.registry}/${request.repository}`
  const tags: string[] = []
  const seen = new Set<string>()
  let url: string | undefined =
    `https://${apiHost(request.registry)}/v2/${request.repository}/tags/list?n=${TAGS_PAGE_SIZE}`
  while (url) {
    if (seen.has(url) || seen.size >= MAX_PAGES) {
      return { kind: 'unlistable', reason: `${where}: the registry's tag list pages never end (Link loops)` }
    }
    seen.add(url)
    const response = await session.send('GET', url, 'application/json', request.signal)
    if (response.status !== 200) {
      const detail = registryErrorText(response) || `HTTP ${response.status}`
      if (response.status === 404) return { kind: 'not-found', detail: `${where}: ${detail}` }
      return {
        kind: 'unlistable',
        status: response.status,
        reason: `${where} answered HTTP ${response.status} ${registryErrorText(response)}`.trim()
      }
    }
    const page = pageTags(response.body)
    if (!page) return { kind: 'unlistable', reason: `${where}: the tag list is not the JSON the API defines` }
    // One by one: spreading a page of hundreds of thousands of names overflows the call stack.
    for (const tag of page) tags.push(tag)
    url = nextPage(response.header('link'), url)
  }
  return { kind: 'listed', tags: [...new Set(tags)] }
}

/** `{"name": ..., "tags": [...]}`; `tags` is null for a repository without tags. */
function pageTags(body: string): string[] | undefined {
  try {
    const parsed = JSON.parse(body) as { tags?: unknown }
    if (parsed.tags === null || parsed.tags === undefined) return []
    if (!Array.isArray(parsed.tags)) return undefined
    return parsed.tags.filter((tag): tag is string => typeof tag === 'string')
  } catch {
    return undefined
  }
}

/**
 * The `rel="next"` URL of a Link header, on the registry that sent it: only its path and query are taken, the
 * host and scheme stay the current page's, so a registry cannot send our credentials to another host or over
 * plain http (containers/image does the same; containerd's CVE-2020-15157 was this class).
 */
export function nextPage(link: string | undefined, current: string): string | undefined {
  if (!link) return undefined
  for (const part of link.split(/,(?=\s*<)/)) {
    const match = /<([^>]*)>(.*)$/.exec(part.trim())
    if (match && /(^|;)\s*rel="?next"?\s*(;|$)/i.test(match[2])) {
      const next = new URL(match[1], current)
      return new URL(`${next.pathname}${next.search}`, new URL(current).origin).toString()
    }
  }
  return undefined
}
