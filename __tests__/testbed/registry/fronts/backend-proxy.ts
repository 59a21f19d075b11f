// Passes a distribution-API request on to the real registry behind a front, and its answer back.
import { request, type IncomingMessage, type ServerResponse } from 'node:http'

// Only what the distribution API needs goes to the backend: never the client's Authorization.
const FORWARDED_REQUEST_HEADERS = ['accept', 'content-type', 'content-length', 'range', 'if-none-match']
const DROPPED_RESPONSE_HEADERS = ['connection', 'keep-alive', 'transfer-encoding', 'date']

export function forwardToBackend(
  backendUrl: string,
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer
): Promise<void> {
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
