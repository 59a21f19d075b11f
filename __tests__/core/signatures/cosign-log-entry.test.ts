// Which key a Rekor entry records for the signer, in each body a log writes (Rekor v1's hashedrekord, dsse and
// intoto; Rekor v2's hashedrekord and dsse): a verified entry counts only for the key it names.
import { describe, expect, it } from '@jest/globals'
import type { TransparencyLogEntry } from '@sigstore/bundle'
import { logEntryKeyProblem } from '../../../src/core/signatures/cosign-keys.js'
import { createSigningKey, createTestSigstore } from '../../signing/cosign-kit.js'

const signer = createSigningKey()
const stranger = createSigningKey()
const certificate = createTestSigstore({ ctLog: false }).issueCertificate({
  publicKey: signer.publicKey,
  issuer: 'https://token.actions.githubusercontent.com',
  subject: 'https://github.com/contoso/app/.github/workflows/release.yml@refs/tags/v1'
})
const pem64 = (pem: string) => Buffer.from(pem).toString('base64')
const der64 = (key: typeof signer) => key.publicKey.export({ type: 'spki', format: 'der' }).toString('base64')

const entry = (body: object): TransparencyLogEntry =>
  ({ canonicalizedBody: Buffer.from(JSON.stringify(body)) }) as TransparencyLogEntry

const bodies = (verifier: { pem: string; der: string; certificateDer?: string }) => ({
  'hashedrekord 0.0.1': {
    kind: 'hashedrekord',
    apiVersion: '0.0.1',
    spec: { signature: { content: 'c2ln', publicKey: { content: verifier.pem } } }
  },
  'dsse 0.0.1': {
    kind: 'dsse',
    apiVersion: '0.0.1',
    spec: { signatures: [{ signature: 'c2ln', verifier: verifier.pem }] }
  },
  'intoto 0.0.2': {
    kind: 'intoto',
    apiVersion: '0.0.2',
    spec: { content: { envelope: { signatures: [{ sig: 'c2ln', publicKey: verifier.pem }] } } }
  },
  'hashedrekord 0.0.2': {
    kind: 'hashedrekord',
    apiVersion: '0.0.2',
    spec: {
      hashedRekordV002: {
        signature: {
          content: 'c2ln',
          verifier:
            verifier.certificateDer === undefined
              ? { publicKey: { rawBytes: verifier.der }, keyDetails: 'PKIX_ECDSA_P256_SHA_256' }
              : {
                  x509Certificate: { rawBytes: verifier.certificateDer },
                  keyDetails: 'PKIX_ECDSA_P256_SHA_256'
                }
        }
      }
    }
  },
  'dsse 0.0.2': {
    kind: 'dsse',
    apiVersion: '0.0.2',
    spec: {
      dsseV002: { signatures: [{ content: 'c2ln', verifier: { publicKey: { rawBytes: verifier.der } } }] }
    }
  }
})

describe('logEntryKeyProblem', () => {
  const byKey = bodies({ pem: pem64(signer.publicKeyPem), der: der64(signer) })
  const byCertificate = bodies({
    pem: pem64(certificate.pem),
    der: der64(signer),
    certificateDer: certificate.der.toString('base64')
  })

  it.each(Object.keys(byKey))(
    'accepts a %s entry that records the signing key, or its certificate',
    (kind) => {
      const name = kind as keyof typeof byKey
      expect(logEntryKeyProblem(entry(byKey[name]), signer.publicKey, 'key')).toBeUndefined()
      expect(logEntryKeyProblem(entry(byCertificate[name]), signer.publicKey, 'certificate')).toBeUndefined()
    }
  )

  it.each(Object.keys(byKey))('refuses a %s entry that records another key', (kind) => {
    const name = kind as keyof typeof byKey
    expect(logEntryKeyProblem(entry(byKey[name]), stranger.publicKey, 'key')).toBe(
      'the transparency-log entry names another key'
    )
  })

  it('refuses an entry whose signer it cannot read', () => {
    const unknown = { kind: 'rekord', apiVersion: '0.0.1', spec: {} }
    const damaged = {
      kind: 'hashedrekord',
      apiVersion: '0.0.1',
      spec: { signature: { publicKey: { content: 'bm8=' } } }
    }
    for (const body of [unknown, damaged]) {
      expect(logEntryKeyProblem(entry(body), signer.publicKey, 'key')).toBe(
        'the transparency-log entry does not say who signed'
      )
    }
  })
})
