// Small response and request helpers shared by the Azure half's host handlers.
import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text).toString(),
    'cache-control': 'no-store, no-cache',
    'x-ms-request-id': randomUUID(),
    ...headers
  })
  res.end(text)
}

export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-length': '0', 'cache-control': 'no-cache', ...headers })
  res.end()
}

/** The request URL parsed against its Host, so handlers can read the path and the query. */
export function requestUrl(req: IncomingMessage): URL {
  return new URL(req.url ?? '/', `https://${req.headers.host ?? 'localhost'}`)
}

/** Host name of the request, lower case, without port. */
export const requestHost = (req: IncomingMessage): string =>
  (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase()

/** The bearer token of the Authorization header, if any. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')
  return match?.[1]
}

/** Path segments, decoded, without empty ones (`/a//b/` -> ['a', 'b']). */
export const pathSegments = (url: URL): string[] =>
  url.pathname
    .split('/')
    .filter((s) => s !== '')
    .map((s) => decodeURIComponent(s))
