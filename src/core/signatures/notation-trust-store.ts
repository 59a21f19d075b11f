// A policy's trust store: its PEM certificates, read once per policy (a batch checks many signatures against
// the same policy). An entry may hold one certificate or a bundle of several.
import { parseCertificate, type Certificate } from './x509-certificate.js'
import type { NotationPolicy } from '../entries/trust-policy.js'

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+?)-----END CERTIFICATE-----/g
const stores = new WeakMap<NotationPolicy, Certificate[] | { refused: string }>()

export function trustStoreOf(policy: NotationPolicy): Certificate[] | { refused: string } {
  let store = stores.get(policy)
  if (!store) {
    store = readTrustStore(policy.trustStorePems)
    stores.set(policy, store)
  }
  return store
}

function readTrustStore(pems: string[]): Certificate[] | { refused: string } {
  const certificates: Certificate[] = []
  for (const [i, pem] of pems.entries()) {
    const blocks = [...pem.matchAll(PEM_BLOCK)]
    if (blocks.length === 0) return { refused: `trust store entry ${i + 1} holds no PEM certificate` }
    for (const [, body] of blocks) {
      try {
        certificates.push(parseCertificate(Buffer.from(body.replace(/\s+/g, ''), 'base64')))
      } catch {
        return { refused: `trust store entry ${i + 1} holds a certificate that cannot be read` }
      }
    }
  }
  if (certificates.length === 0) return { refused: 'trust store is empty' }
  return certificates
}
