// The HTTP proxy clients reach the test bed through (HTTPS_PROXY / HTTP_PROXY): it tunnels CONNECT to port
// 443 of a served host into the test bed's HTTPS server and answers plain absolute-URI requests for a served
// host in-process. Anything else gets 403: nothing ever leaves the machine.
import { createServer } from 'node:http'
import { connect, type Socket } from 'node:net'
import type { HostRouter } from './host-router.js'
import { closeServer, portOf } from './https-server.js'
import { sendJson } from './http-io.js'

export interface RunningProxy {
  port: number
  close(): Promise<void>
}

export async function startProxy(
  router: HostRouter,
  httpsPort: number,
  /** Told of each tunnel opened to a served host. */
  tunnelOpened: () => void = () => {}
): Promise<RunningProxy> {
  const tunnels = new Set<Socket>()
  const server = createServer((req, res) => {
    let target: URL
    try {
      target = new URL(req.url ?? '')
    } catch {
      sendJson(res, 400, { error: 'The test bed proxy only takes absolute-URI requests.' })
      return
    }
    if (target.protocol !== 'http:' || !router.handlerFor(target.hostname)) {
      sendJson(res, 403, { error: `The test bed proxy does not reach ${target.host}.` })
      return
    }
    req.url = target.pathname + target.search
    req.headers.host = target.host
    void router.dispatch(req, res)
  })

  server.on('connect', (req, clientSocket: Socket, head: Buffer) => {
    const [host, port] = (req.url ?? '').split(':')
    if (port !== '443' || !router.handlerFor(host)) {
      clientSocket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n')
      return
    }
    tunnelOpened()
    const upstream = connect(httpsPort, '127.0.0.1', () => {
      clientSocket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      if (head.length) upstream.write(head)
      upstream.pipe(clientSocket)
      clientSocket.pipe(upstream)
    })
    for (const socket of [upstream, clientSocket]) {
      tunnels.add(socket)
      socket.on('close', () => tunnels.delete(socket))
      // Either side closing or failing ends the tunnel; errors are the client's business.
      socket.on('error', () => {
        upstream.destroy()
        clientSocket.destroy()
      })
    }
  })

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: portOf(server),
    close: async () => {
      // Tunnels left the server's bookkeeping when CONNECT succeeded, so they are ended here.
      tunnels.forEach((socket) => socket.destroy())
      await closeServer(server)
    }
  }
}
