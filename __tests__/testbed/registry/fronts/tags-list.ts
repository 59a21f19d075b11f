// GET /v2/<name>/tags/list[?n=<int>&last=<tag>] as the OCI distribution spec pages it ("Content discovery"):
// tags in lexical order, at most `n` of them after `last`, and while more remain
// `Link: </v2/<name>/tags/list?n=<n>&last=<tag>>; rel="next"`. The fronts answer it themselves from the
// backend's full list, because distribution 2.8 (the backends) ignores `n` and `last` and lists tags in
// storage order. Without `n`, real Docker Hub and ACR answer every tag as far as is known (their page caps,
// if any, are not documented); faults.tagsPageLimit() sets a cap to make a client follow Link.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { sendJson } from '../../net/http-io.js'
import { sendRegistryError } from './distribution-errors.js'

/** The repository of a `/v2/<name>/tags/list` path, or undefined for any other path. */
export const tagsListRepository = (path: string): string | undefined =>
  /^\/v2\/(.+)\/tags\/list$/.exec(path)?.[1]

/** One page of `tags` (sorted here) after `last`, of at most `n` (when given) and `pageLimit` tags. */
export function tagsPage(
  tags: readonly string[],
  query: URLSearchParams,
  pageLimit = Infinity
): { tags: string[]; next?: { n: number; last: string } } | { invalid: string } {
  const nText = query.get('n')
  let n: number | undefined
  if (nText !== null && nText !== '') {
    if (!/^\d+$/.test(nText)) return { invalid: nText }
    n = Number(nText)
  }
  const last = query.get('last')
  const sorted = [...tags].sort()
  const after = last ? sorted.filter((tag) => tag > last) : sorted
  const size = Math.min(n ?? Infinity, pageLimit)
  const page = after.slice(0, size)
  return page.length && page.length < after.length
    ? { tags: page, next: { n: Math.min(n ?? pageLimit, pageLimit), last: page.at(-1)! } }
    : { tags: page }
}

/** Answers a tags/list GET from the backend's list, paged. */
export async function answerTagsList(
  backendUrl: string,
  repository: string,
  req: IncomingMessage,
  res: ServerResponse,
  pageLimit = Infinity
): Promise<void> {
  const answer = await fetch(`${backendUrl}/v2/${repository}/tags/list`)
  const text = await answer.text()
  if (answer.status !== 200) {
    res.writeHead(answer.status, {
      'content-type': answer.headers.get('content-type') ?? 'application/json; charset=utf-8',
      'docker-distribution-api-version': 'registry/2.0'
    })
    res.end(text)
    return
  }
  const { name, tags } = JSON.parse(text) as { name: string; tags: string[] | null }
  const query = new URL(req.url ?? '/', 'https://registry').searchParams
  const page = tagsPage(tags ?? [], query, pageLimit)
  if ('invalid' in page) {
    // distribution 3's answer to a bad `n`.
    sendRegistryError(
      res,
      400,
      'PAGINATION_NUMBER_INVALID',
      'invalid number of results requested',
      {},
      {
        n: page.invalid
      }
    )
    return
  }
  const headers: Record<string, string> = { 'docker-distribution-api-version': 'registry/2.0' }
  if (page.next) {
    const next = `/v2/${repository}/tags/list?n=${page.next.n}&last=${encodeURIComponent(page.next.last)}`
    headers.link = `<${next}>; rel="next"`
  }
  sendJson(res, 200, { name, tags: page.tags }, headers)
}
