// What both hosts' bad-input tables share: the proxy that proves no request was sent, and a certificate with its
// key to build broken PEMs from. Started before the file's tests, stopped after them.
import { afterAll, beforeAll } from '@jest/globals'
import forge from 'node-forge'
import { createCertificateAuthority } from '../testbed/net/tls.js'
import { startCountingProxy, type CountingProxy } from './counting-proxy.js'

export interface BadInputWorld {
  proxy: CountingProxy
  certificatePem: string
  keyPem: string
  /** The certificate with the first 200 characters of its key only. */
  truncatedKeyPem(): string
}

export function useBadInputWorld(): BadInputWorld {
  const world = {
    certificatePem: '',
    keyPem: '',
    truncatedKeyPem: () =>
      `${world.certificatePem}${world.keyPem.slice(0, 200)}\n-----END RSA PRIVATE KEY-----\n`
  } as BadInputWorld
  beforeAll(async () => {
    world.proxy = await startCountingProxy()
    const ca = await createCertificateAuthority()
    world.certificatePem = ca.certPem
    world.keyPem = forge.pki.privateKeyToPem(ca.key)
  })
  afterAll(async () => {
    await world.proxy?.close()
  })
  return world
}
