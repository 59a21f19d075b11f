// Small helpers every handler uses to read requests and write JSON answers.
import type { IncomingMessage, ServerResponse } from 'node:http'

export function readBody(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    stream.on('data', (chunk: Buffer) => chunks.push(chunk))
    stream.on('end', () => resolve(Buffer.concat(chunks)))
    stream.on('error', reject)
  })
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
): void {
  const bytes = Buffer.from(JSON.stringify(body))
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': bytes.length,
    ...headers
  })
  res.end(bytes)
}

/** Host header without the port, lower case. */
export function hostOf(req: IncomingMessage): string {
  return (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase()
}

/** Form fields of an `application/x-www-form-urlencoded` body. */
export function formOf(body: Buffer): URLSearchParams {
  return new URLSearchParams(body.toString('utf8'))
}

/** Username and password of an `Authorization: Basic` header, if any. */
export function basicCredentialsOf(req: IncomingMessage): { username: string; password: string } | undefined {
  const match = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '')
  if (!match) return undefined
  const decoded = Buffer.from(match[1], 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return undefined
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
}

/** The token of an `Authorization: Bearer` header, if any. */
export function bearerTokenOf(req: IncomingMessage): string | undefined {
  return /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]
}
