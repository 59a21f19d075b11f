// Reading a signature's blob (registry/blob-reader.ts): the bytes exactly as served (a COSE envelope is binary),
// checked against the digest, bounded to 4 MiB over real HTTP; a redirect to storage on another host followed
// without the registry's token, and never to plain http.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { readBlob } from '../../../src/core/registry/blob-reader.js'
import {
  MAX_BODY_BYTES,
  sendHttp,
  type HttpResponse,
  type HttpSend
} from '../../../src/core/registry/http.js'
import { RegistrySession } from '../../../src/core/registry/registry-session.js'

const sha = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`
/** Bytes that do not survive a round trip through UTF-8 text, as a COSE_Sign1 envelope does not. */
const BINARY = Buffer.from([0xd2, 0x84, 0x58, 0x1e, 0xa2, 0x01, 0x26, 0xff, 0xfe, 0x00, 0xc3, 0x28])
const HUGE = Buffer.alloc(MAX_BODY_BYTES + 1024, 7)

let server: Server
let base: string

beforeAll(async () => {
  server = createServer((req, res) => {
    const digest = decodeURIComponent(req.url ?? '').split('/blobs/')[1]
    if (digest === sha(BINARY)) res.end(BINARY)
    else if (digest === sha(HUGE)) res.end(HUGE)
    else if (digest === sha(Buffer.from('claimed'))) res.end('something else')
    else {
      res.statusCode = 404
      res.end('{"errors":[{"code":"BLOB_UNKNOWN","message":"blob unknown to registry"}]}')
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2/app`
})
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
})

const overHttp = (digest: string) =>
  readBlob({
    session: new RegistrySession({ repository: 'app' }, sendHttp),
    send: sendHttp,
    repositoryUrl: base,
    name: 'local/app',
    digest
  })

describe('a blob read over HTTP', () => {
  it('gives the bytes exactly as served, binary ones included', async () => {
    const read = await overHttp(sha(BINARY))
    expect(read.kind).toBe('read')
    if (read.kind === 'read') expect(Buffer.from(read.bytes).equals(BINARY)).toBe(true)
  })

  it('refuses bytes that are not the digest asked for', async () => {
    expect(await overHttp(sha(Buffer.from('claimed')))).toEqual({
      kind: 'unreadable',
      reason: `local/app answered a blob that is not ${sha(Buffer.from('claimed'))}`
    })
  })

  it('stops reading past 4 MiB, as for any answer', async () => {
    expect(await overHttp(sha(HUGE))).toMatchObject({
      kind: 'unreadable',
      reason: expect.stringContaining('answered more than 4 MiB')
    })
  })

  it('says a blob the registry lacks is absent, and refuses what is not a digest before any request', async () => {
    expect(await overHttp(sha(Buffer.from('nothing')))).toEqual({ kind: 'absent' })
    expect(await overHttp('sha256:../../etc')).toMatchObject({ kind: 'unreadable' })
  })
})

describe("a registry's redirect to its blob storage", () => {
  const answer = (status: number, headers: Record<string, string> = {}, body = ''): HttpResponse => ({
    status,
    header: (name) => headers[name.toLowerCase()],
    body
  })

  function redirecting(location: string) {
    const requests: { url: string; authorization?: string }[] = []
    const send: HttpSend = async ({ url, headers }) => {
      requests.push({ url, authorization: headers.authorization })
      if (url.startsWith('https://registry.example.com/token')) return answer(200, {}, '{"token":"tkn"}')
      if (url.startsWith('https://registry.example.com/v2/')) {
        return headers.authorization
          ? answer(307, { location })
          : answer(401, { 'www-authenticate': 'Bearer realm="https://registry.example.com/token"' })
      }
      return answer(200, {}, 'payload')
    }
    const read = readBlob({
      session: new RegistrySession({ repository: 'app' }, send),
      send,
      repositoryUrl: 'https://registry.example.com/v2/app',
      name: 'registry.example.com/app',
      digest: sha(Buffer.from('payload'))
    })
    return { read, requests }
  }

  it('is followed to another host without the registry token', async () => {
    const { read, requests } = redirecting('https://storage.example.net/blob?sig=abc')
    expect(await read).toMatchObject({ kind: 'read' })
    expect(requests.at(-1)).toEqual({
      url: 'https://storage.example.net/blob?sig=abc',
      authorization: undefined
    })
    expect(requests.filter((r) => r.authorization === 'Bearer tkn').map((r) => new URL(r.url).host)).toEqual([
      'registry.example.com'
    ])
  })

  it('is not followed to plain http', async () => {
    const { read, requests } = redirecting('http://storage.example.net/blob')
    expect(await read).toEqual({
      kind: 'unreadable',
      reason: `registry.example.com/app redirected the blob ${sha(Buffer.from('payload'))} to http:, which is not followed`
    })
    expect(requests.some((r) => r.url.startsWith('http:'))).toBe(false)
  })
})
