// Passes a distribution-API request on to the real registry behind a front, and its answer back. Tag lists
// are answered by the front itself, sorted and paged (see tags-list.ts).
import { request, type IncomingMessage, type ServerResponse } from 'node:http'
import { answerTagsList, tagsListRepository } from './tags-list.js'

// Only what the distribution API needs goes to the backend: never the client's Authorization.
const FORWARDED_REQUEST_HEADERS = ['accept', 'content-type', 'content-length', 'range', 'if-none-match']
const DROPPED_RESPONSE_HEADERS = ['connection', 'keep-alive', 'transfer-encoding', 'date']

/** What a front knows about paging: the most tags one tags/list answer of a host holds (faults.tagsPageLimit). */
export interface TagsPaging {
  tagsPageLimitFor(host: string): number
}

export function forwardToBackend(
  backendUrl: string,
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  paging?: TagsPaging
): Promise<void> {
  const tagsOf = req.method === 'GET' ? tagsListRepository((req.url ?? '/').split('?')[0]) : undefined
  if (tagsOf) {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase()
    return answerTagsList(backendUrl, tagsOf, req, res, paging?.tagsPageLimitFor(host))
  }
  const headers: Record<string, string> = {}
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = req.headers[name]
    if (typeof value === 'string') headers[name] = value
  }
  return new Promise((resolve, reject) => {
    const upstream = request(
      new URL(req.url ?? '/', backendUrl),
      { method: req.method, headers },
      (answer) => {
        const responseHeaders = { ...answer.headers }
        for (const name of DROPPED_RESPONSE_HEADERS) delete responseHeaders[name]
        res.writeHead(answer.statusCode ?? 502, responseHeaders)
        answer.pipe(res)
        answer.on('end', resolve)
        answer.on('error', reject)
      }
    )
    upstream.on('error', reject)
    upstream.end(body.length ? body : undefined)
  })
}
