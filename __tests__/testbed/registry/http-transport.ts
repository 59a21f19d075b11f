// How a registry client reaches a registry: plain HTTP to a backend on loopback, or HTTPS to the test bed's
// TLS server under a public host name (SNI and Host say the name; the TCP connection goes to 127.0.0.1).
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import type { Socket } from 'node:net'
import { connect as tlsConnect } from 'node:tls'

export interface HttpAnswer {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
}

export type Transport = (
  url: URL,
  method: string,
  headers: Record<string, string>,
  body?: Buffer
) => Promise<HttpAnswer>

function collect(req: import('node:http').ClientRequest, body?: Buffer): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    req.on('response', (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) })
      )
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body)
  })
}

export function plainHttpTransport(): Transport {
  const agent = new HttpAgent({ keepAlive: true })
  return onceMoreOnStaleSocket((url, method, headers, body) =>
    collect(httpRequest(url, { method, headers: withLength(headers, body), agent }), body)
  )
}

/** HTTPS to the test bed's own TLS server for any served host name, trusting the test bed's CA. */
export function testbedTlsTransport(tlsPort: () => number, caPem: string): Transport {
  const agent = new HttpsAgent({ keepAlive: true, ca: caPem })
  return onceMoreOnStaleSocket((url, method, headers, body) =>
    collect(
      httpsRequest({
        host: '127.0.0.1',
        port: tlsPort(),
        servername: url.hostname,
        path: url.pathname + url.search,
        method,
        headers: { host: url.host, ...withLength(headers, body) },
        agent
      }),
      body
    )
  )
}

/**
 * A kept-alive connection the server closed just as a request went out on it fails with ECONNRESET ("socket
 * hang up") before the server read anything; the request is sent again, once, on a fresh connection. Without it,
 * a burst of 50 imports after an idle pause failed one copy in a few runs. (Plumbing between the test bed's own
 * parts, not a behaviour of Azure's.)
 */
function onceMoreOnStaleSocket(send: Transport): Transport {
  return async (url, method, headers, body) => {
    try {
      return await send(url, method, headers, body)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ECONNRESET') throw err
      return send(url, method, headers, body)
    }
  }
}

/**
 * HTTPS through an HTTP CONNECT proxy, as a client behind HTTPS_PROXY does it: one tunnel per request to
 * `host:443`, TLS inside it with the host as SNI, trusting `caPem`.
 */
export function proxyTunnelTransport(proxyUrl: string, caPem: string): Transport {
  const proxy = new URL(proxyUrl)
  return async (url, method, headers, body) => {
    const tunnel = await openTunnel(proxy, url.hostname)
    const socket = tlsConnect({ socket: tunnel, servername: url.hostname, ca: caPem })
    return collect(
      httpsRequest({
        host: url.hostname,
        path: url.pathname + url.search,
        method,
        headers: withLength(headers, body),
        createConnection: () => socket
      }),
      body
    )
  }
}

function openTunnel(proxy: URL, host: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const connect = httpRequest({
      host: proxy.hostname,
      port: proxy.port,
      method: 'CONNECT',
      path: `${host}:443`
    })
    connect.on('connect', (answer, socket: Socket) => {
      if (answer.statusCode === 200) return resolve(socket)
      socket.destroy()
      reject(new Error(`The proxy refused a tunnel to ${host}:443 (${answer.statusCode})`))
    })
    connect.on('error', reject)
    connect.end()
  })
}

function withLength(headers: Record<string, string>, body?: Buffer): Record<string, string> {
  return body ? { ...headers, 'content-length': String(body.length) } : headers
}
