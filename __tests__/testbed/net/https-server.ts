// The one HTTPS server of the test bed: every served host name, on 127.0.0.1:<free port>.
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import type { HostRouter } from './host-router.js'
import type { ServerCertificate } from './tls.js'

export async function startHttpsServer(certificate: ServerCertificate, router: HostRouter): Promise<Server> {
  const server = createServer({ cert: certificate.certPem, key: certificate.keyPem }, (req, res) => {
    void router.dispatch(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return server
}

export function portOf(server: { address(): AddressInfo | string | null }): number {
  return (server.address() as AddressInfo).port
}

/** Closes a server and drops its idle and active connections (keep-alive clients would hold it open). */
export function closeServer(server: Server | import('node:http').Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections()
  })
}
