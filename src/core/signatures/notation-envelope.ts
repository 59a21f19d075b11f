// A Notary Project signature envelope, JWS or COSE, read into one shape, so the checks after the parse are the
// same for both (notaryproject/specifications specs/signature-specification.md "Signature Envelope"). Nothing in
// it is trusted yet: the parsers only read; the verifier decides.
import type { NotationAlgorithm } from './notation-algorithms.js'

/** A header value that is absent, present and well formed, or present and not what the envelope format requires. */
export type HeaderTime =
  { kind: 'absent' } | { kind: 'time'; time: Date } | { kind: 'malformed'; why: string }

export interface NotationEnvelope {
  format: 'JWS' | 'COSE'
  /** The `alg` header as written (`PS256`, or a COSE label such as `-7`), before it is matched to the key. */
  algorithm: string
  /** The known algorithm it names, when it names one. */
  knownAlgorithm?: NotationAlgorithm
  contentType: unknown
  signingScheme: unknown
  signingTime: HeaderTime
  authenticSigningTime: HeaderTime
  expiry: HeaderTime
  /** The `crit` header: undefined when absent, otherwise its entries (text or, in COSE, integer labels). */
  critical?: unknown[]
  /** Every label of the protected header (critical headers must be among them). */
  protectedLabels: (string | number)[]
  /** Values of protected headers beyond the ones above, by label, to name what an unknown critical header wants. */
  protectedValues: Map<string | number, unknown>
  /** DER certificates, signing certificate first (`x5c` in JWS, `x5chain` in COSE). */
  certificates: Uint8Array[]
  payload: Uint8Array
  /** The exact bytes the signature covers: the JWS signing input, or the COSE Sig_structure. */
  signedBytes: Uint8Array
  signature: Uint8Array
}

/** A parser's answer: the envelope, or one clause saying why it cannot be read. */
export type EnvelopeRead = { envelope: NotationEnvelope } | { refused: string }

export const HEADER = {
  signingScheme: 'io.cncf.notary.signingScheme',
  signingTime: 'io.cncf.notary.signingTime',
  authenticSigningTime: 'io.cncf.notary.authenticSigningTime',
  expiry: 'io.cncf.notary.expiry',
  verificationPlugin: 'io.cncf.notary.verificationPlugin',
  verificationPluginMinVersion: 'io.cncf.notary.verificationPluginMinVersion'
} as const

export const PAYLOAD_CONTENT_TYPE = 'application/vnd.cncf.notary.payload.v1+json'
