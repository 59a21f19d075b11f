// The six signature algorithms a Notary Project signature may use, each tied to one key type and size: the
// signing certificate's key decides the algorithm, and a header naming another is an algorithm substitution,
// refused (notaryproject/specifications specs/signature-specification.md "Algorithm Selection";
// signature-envelope-jws.md and signature-envelope-cose.md "Supported alg header values").
import { constants, verify, type KeyObject } from 'node:crypto'

export type NotationAlgorithm = 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'ES512'

export const JWS_ALGORITHMS: readonly NotationAlgorithm[] = [
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512'
]

/** COSE algorithm labels (IANA COSE Algorithms registry) of the same six. */
export const COSE_ALGORITHMS: ReadonlyMap<number, NotationAlgorithm> = new Map([
  [-37, 'PS256'],
  [-38, 'PS384'],
  [-39, 'PS512'],
  [-7, 'ES256'],
  [-35, 'ES384'],
  [-36, 'ES512']
])

const RSA_SIZES: Record<number, NotationAlgorithm> = { 2048: 'PS256', 3072: 'PS384', 4096: 'PS512' }
const EC_CURVES: Record<string, { algorithm: NotationAlgorithm; name: string }> = {
  prime256v1: { algorithm: 'ES256', name: 'P-256' },
  secp384r1: { algorithm: 'ES384', name: 'P-384' },
  secp521r1: { algorithm: 'ES512', name: 'P-521' }
}

/** The algorithm a signing key must sign with, and the key as people name it ("RSA 2048", "EC P-256"). */
export function algorithmForKey(key: KeyObject): { algorithm?: NotationAlgorithm; keyName: string } {
  const details = key.asymmetricKeyDetails ?? {}
  if (key.asymmetricKeyType === 'rsa') {
    const bits = details.modulusLength ?? 0
    return { algorithm: RSA_SIZES[bits], keyName: `RSA ${bits}` }
  }
  if (key.asymmetricKeyType === 'ec') {
    const curve = EC_CURVES[details.namedCurve ?? '']
    return { algorithm: curve?.algorithm, keyName: `EC ${curve?.name ?? details.namedCurve}` }
  }
  return { keyName: `${key.asymmetricKeyType ?? 'unknown'} key` }
}

/**
 * Checks `signature` over `data`. ECDSA signatures are the raw r||s of JWS (RFC 7518 §3.4) and COSE (RFC 9053
 * §2.1), not DER. RSASSA-PSS uses a salt as long as the hash, as golang-jwt (JWS) and go-cose (COSE) sign.
 */
export function verifySignature(
  algorithm: NotationAlgorithm,
  key: KeyObject,
  data: Uint8Array,
  signature: Uint8Array
): boolean {
  const hash = `sha${algorithm.slice(2)}`
  try {
    if (algorithm.startsWith('ES')) return verify(hash, data, { key, dsaEncoding: 'ieee-p1363' }, signature)
    return verify(
      hash,
      data,
      { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST },
      signature
    )
  } catch {
    return false
  }
}
