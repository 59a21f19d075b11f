// A proxy that forwards nothing: it counts every request a step sends (CONNECT for https, plain requests for
// http) and drops it. A step that must refuse its input before the network is run through one of these; any
// count above zero is a request that should never have been made.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface CountingProxy {
  /** HTTPS_PROXY/HTTP_PROXY (both spellings) pointing here, and an empty NO_PROXY. */
  env: Record<string, string>
  /** The hosts asked for so far, in order. */
  requests: string[]
  close(): Promise<void>
}

export async function startCountingProxy(): Promise<CountingProxy> {
  const requests: string[] = []
  const server: Server = createServer((req, res) => {
    requests.push(req.headers.host ?? req.url ?? '?')
    res.socket?.destroy()
  })
  server.on('connect', (req, socket) => {
    requests.push(req.url ?? '?')
    socket.destroy()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    env: { HTTPS_PROXY: url, https_proxy: url, HTTP_PROXY: url, http_proxy: url, NO_PROXY: '', no_proxy: '' },
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve()))
  }
}
