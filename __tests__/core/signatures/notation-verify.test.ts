import { beforeAll, describe, expect, it } from '@jest/globals'
import { sign } from 'node:crypto'
import { decodeCbor } from '../../../src/core/signatures/cbor-decode.js'
import { encodeCbor } from '../../../src/core/signatures/cbor-encode.js'
import { CborTag, type CborValue } from '../../../src/core/signatures/cbor-value.js'
import { verifyNotation, type NotationCarrier } from '../../../src/core/signatures/notation-verify.js'
import type { NotationPolicy } from '../../../src/core/entries/trust-policy.js'
import {
  DEFAULT_LEAF_SUBJECT,
  DEV_ROOT_CA_NAME,
  OIDS,
  makeCertificateAuthority,
  signCose,
  signJws,
  type CertificateAuthority,
  type EnvelopeFormat,
  type SignOptions,
  type SigningIdentity,
  type TargetArtifact
} from '../../signing/notation-kit.js'

const MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
const image: TargetArtifact = { mediaType: MANIFEST, digest: `sha256:${'a1'.repeat(32)}`, size: 1234 }
const otherImage: TargetArtifact = { mediaType: MANIFEST, digest: `sha256:${'b2'.repeat(32)}`, size: 987 }
const HOUR = 3600_000

let ca: CertificateAuthority
let devCa: CertificateAuthority
let signer: SigningIdentity
let policy: NotationPolicy

beforeAll(() => {
  ca = makeCertificateAuthority()
  devCa = makeCertificateAuthority({ commonName: DEV_ROOT_CA_NAME })
  signer = ca.issueLeaf()
  policy = { trustStorePems: ca.trustStorePems }
})

// RSA keys take a while to make: one RSA CA and leaf for both envelope formats.
let rsa: { trustStorePems: string[]; identity: SigningIdentity } | undefined
function rsaSigner() {
  if (!rsa) {
    const rsaCa = makeCertificateAuthority({ key: 'rsa-2048' })
    rsa = { trustStorePems: rsaCa.trustStorePems, identity: rsaCa.issueLeaf({ key: 'rsa-2048' }) }
  }
  return rsa
}

function envelope(
  format: EnvelopeFormat,
  identity: SigningIdentity,
  options: SignOptions = {},
  target = image
) {
  return format === 'jws' ? signJws(target, identity, options) : signCose(target, identity, options)
}

function carrier(format: EnvelopeFormat, bytes: Uint8Array): NotationCarrier {
  return {
    kind: 'notation',
    digest: `sha256:${'c3'.repeat(32)}`,
    mediaType: format === 'jws' ? 'application/jose+json' : 'application/cose',
    envelope: bytes
  }
}

async function check(
  format: EnvelopeFormat,
  bytes: Uint8Array,
  checkPolicy: NotationPolicy = policy,
  now?: Date,
  target: TargetArtifact = image
) {
  return (await verifyNotation(carrier(format, bytes), target, checkPolicy, now)) as {
    verified: boolean
    signer?: string
    reason?: string
  }
}

/** The same envelope with the payload of another image, its signature kept. */
function withPayloadOf(format: EnvelopeFormat, bytes: Buffer, target: TargetArtifact): Uint8Array {
  const forged = envelope(format, signer, {}, target)
  if (format === 'jws') {
    const original = JSON.parse(bytes.toString())
    original.payload = JSON.parse(forged.toString()).payload
    return Buffer.from(JSON.stringify(original))
  }
  const message = decodeCbor(bytes) as CborTag
  const parts = message.value as CborValue[]
  parts[2] = ((decodeCbor(forged) as CborTag).value as CborValue[])[2]
  return encodeCbor(new CborTag(18, parts))
}

describe.each(['jws', 'cose'] as const)('verifyNotation, %s envelope', (format) => {
  it('accepts a signature of this image by a leaf of the trust store, naming the subject as notation prints it', async () => {
    expect(await check(format, envelope(format, signer))).toEqual({
      verified: true,
      signer: DEFAULT_LEAF_SUBJECT
    })
  })

  it('refuses a chain that ends at a CA outside the trust store, naming that CA', async () => {
    expect(await check(format, envelope(format, devCa.issueLeaf()))).toEqual({
      verified: false,
      reason: `certificate chain ends at '${DEV_ROOT_CA_NAME}', not in the trust store`
    })
  })

  it('refuses a signature of another image', async () => {
    expect(await check(format, envelope(format, signer, {}, otherImage))).toEqual({
      verified: false,
      reason: `signs sha256:${'b2'.repeat(6)}, not this image`
    })
  })

  it('refuses a leaf that had expired when it signed', async () => {
    expect(await check(format, envelope(format, ca.issueLeaf({ expired: true })))).toEqual({
      verified: false,
      reason: "certificate 'release.contoso.example' expired before the signing time"
    })
  })

  it('refuses a leaf without the code-signing extended key usage', async () => {
    expect(await check(format, envelope(format, ca.issueLeaf({ extendedKeyUsage: [] })))).toEqual({
      verified: false,
      reason: 'signing certificate has no code-signing usage'
    })
  })

  it('refuses a leaf whose subject is not one of the identities', async () => {
    const identities = ['x509.subject: C=US, ST=WA, O=Fabrikam']
    expect(await check(format, envelope(format, signer), { ...policy, identities })).toEqual({
      verified: false,
      reason: `subject '${DEFAULT_LEAF_SUBJECT}' is not one of the identities`
    })
  })

  it('accepts a leaf whose subject holds every attribute of an identity, or any leaf for *', async () => {
    const bytes = envelope(format, signer)
    for (const identities of [
      [`x509.subject: ${DEFAULT_LEAF_SUBJECT}`],
      ['x509.subject: C=US, ST=WA, O=Fabrikam', 'x509.subject: O=Contoso, S=WA, C=US'],
      ['*']
    ]) {
      expect(await check(format, bytes, { ...policy, identities })).toEqual({
        verified: true,
        signer: DEFAULT_LEAF_SUBJECT
      })
    }
  })

  it('refuses an envelope whose payload was replaced after signing', async () => {
    expect(await check(format, withPayloadOf(format, envelope(format, signer), otherImage))).toEqual({
      verified: false,
      reason: 'signature does not verify with its certificate'
    })
  })

  it('refuses an unknown critical header, and ignores an unknown header that is not critical', async () => {
    const extraProtectedHeaders = { 'com.example.policy': 'strict' }
    const critical = envelope(format, signer, {
      extraProtectedHeaders,
      extraCritical: ['com.example.policy']
    })
    expect(await check(format, critical)).toEqual({
      verified: false,
      reason: "critical header 'com.example.policy' is not understood"
    })
    expect((await check(format, envelope(format, signer, { extraProtectedHeaders }))).verified).toBe(true)
  })

  it('refuses a signature that needs a verification plugin', async () => {
    const plugin = envelope(format, signer, {
      extraProtectedHeaders: { 'io.cncf.notary.verificationPlugin': 'com.example.plugin' },
      extraCritical: ['io.cncf.notary.verificationPlugin']
    })
    expect(await check(format, plugin)).toEqual({
      verified: false,
      reason: "signature needs verification plugin 'com.example.plugin', which is not supported"
    })
  })

  it("refuses an algorithm other than the one the signing key's type and size decide", async () => {
    expect(await check(format, envelope(format, signer, { algorithm: 'ES384' }))).toEqual({
      verified: false,
      reason: "signature algorithm ES384 does not match the certificate's EC P-256 key (ES256)"
    })
  })

  it('honours the expiry: accepted before it, refused from it on', async () => {
    const expiry = new Date(Date.now() + HOUR)
    const bytes = envelope(format, signer, { expiry })
    expect((await check(format, bytes)).verified).toBe(true)
    const truncated = new Date(Math.floor(expiry.getTime() / 1000) * 1000)
    expect(await check(format, bytes, policy, truncated)).toEqual({
      verified: false,
      reason: `signature expired on ${truncated.toISOString()}`
    })
  })

  it('refuses a chain no longer valid at verification time, without a timestamp to vouch for it', async () => {
    const leaf = ca.issueLeaf({
      notBefore: new Date(Date.now() - 2 * HOUR),
      notAfter: new Date(Date.now() + HOUR)
    })
    const bytes = envelope(format, leaf)
    const later = new Date(Date.now() + 2 * HOUR)
    expect(await check(format, bytes, policy, later)).toEqual({
      verified: false,
      reason: `certificate 'release.contoso.example' expired on ${leaf.leaf.notAfter.toISOString()}`
    })
  })

  it('refuses a signature made before its certificate was valid', async () => {
    const bytes = envelope(format, signer, { signingTime: new Date(signer.leaf.notBefore.getTime() - HOUR) })
    expect(await check(format, bytes)).toEqual({
      verified: false,
      reason: "certificate 'release.contoso.example' was not yet valid at the signing time"
    })
  })

  it('refuses the notary.x509.signingAuthority scheme, whose authentic time needs its own trust store', async () => {
    expect(
      await check(format, envelope(format, signer, { signingScheme: 'notary.x509.signingAuthority' }))
    ).toEqual({
      verified: false,
      reason: 'signing scheme notary.x509.signingAuthority is not supported, only notary.x509'
    })
  })

  it('follows a chain through an intermediate, trusted at its root or at the intermediate itself', async () => {
    const withIntermediate = makeCertificateAuthority({ intermediate: true })
    const bytes = envelope(format, withIntermediate.issueLeaf())
    expect((await check(format, bytes, { trustStorePems: withIntermediate.trustStorePems })).verified).toBe(
      true
    )
    expect(
      (await check(format, bytes, { trustStorePems: [withIntermediate.intermediate!.pem] })).verified
    ).toBe(true)
  })

  it('verifies RSA-PSS (PS256) signatures of an RSA 2048 leaf', async () => {
    const { trustStorePems, identity } = rsaSigner()
    expect((await check(format, envelope(format, identity), { trustStorePems })).verified).toBe(true)
  })

  it('verifies ES384 and ES512 signatures of P-384 and P-521 leaves', async () => {
    for (const key of ['ec-p384', 'ec-p521'] as const) {
      expect((await check(format, envelope(format, ca.issueLeaf({ key })))).verified).toBe(true)
    }
  })

  it('refuses a signature whose descriptor gives the image another media type or size', async () => {
    const bytes = envelope(
      format,
      signer,
      {},
      { ...image, mediaType: 'application/vnd.oci.image.index.v1+json' }
    )
    expect(await check(format, bytes)).toEqual({
      verified: false,
      reason: `signs sha256:${'a1'.repeat(6)} as application/vnd.oci.image.index.v1+json, not ${MANIFEST}`
    })
    expect(await check(format, envelope(format, signer, {}, { ...image, size: 99 }))).toEqual({
      verified: false,
      reason: `signs sha256:${'a1'.repeat(6)} with size 99, not 1234`
    })
  })
})

describe('verifyNotation, the signing certificate and its chain', () => {
  const refusal = (identity: SigningIdentity) => check('jws', signJws(image, identity))

  it('refuses a leaf that is a CA, a leaf whose key usage is not critical or allows more than signing', async () => {
    expect((await refusal(ca.issueLeaf({ ca: true }))).reason).toBe('signing certificate is a CA certificate')
    expect((await refusal(ca.issueLeaf({ keyUsageCritical: false }))).reason).toBe(
      'signing certificate key usage is not marked critical'
    )
    expect((await refusal(ca.issueLeaf({ keyUsage: ['digitalSignature', 'keyEncipherment'] }))).reason).toBe(
      'signing certificate key usage allows keyEncipherment, not digitalSignature only'
    )
    expect((await refusal(ca.issueLeaf({ keyUsage: ['nonRepudiation'] }))).reason).toBe(
      'signing certificate has no digitalSignature key usage'
    )
  })

  it('refuses a leaf that is also for TLS, even with code signing', async () => {
    const both = ca.issueLeaf({ extendedKeyUsage: [OIDS.codeSigning, OIDS.serverAuth] })
    expect((await refusal(both)).reason).toBe(
      'signing certificate is also for serverAuth, which code signing must not be'
    )
  })

  it('refuses a chain that stops short of its self-signed root', async () => {
    const withIntermediate = makeCertificateAuthority({ intermediate: true })
    const identity = withIntermediate.issueLeaf()
    const short = { ...identity, chain: identity.chain.slice(0, 2) }
    expect(
      (await check('jws', signJws(image, short), { trustStorePems: withIntermediate.trustStorePems })).reason
    ).toBe(
      "certificate chain does not end at a self-signed root ('Contoso Root CA Intermediate' is not self-signed)"
    )
  })

  it('refuses a chain whose next certificate did not issue the one before', async () => {
    const stitched = { ...signer, chain: [signer.leaf, devCa.root] }
    expect(
      (await check('jws', signJws(image, stitched), { trustStorePems: devCa.trustStorePems })).reason
    ).toBe(
      `certificate 'release.contoso.example' is not issued by the next one in the chain, '${DEV_ROOT_CA_NAME}'`
    )
  })

  it('refuses, with a reason, a trust store entry that is no certificate and an identity that is no x509.subject', async () => {
    expect(await check('jws', signJws(image, signer), { trustStorePems: ['not a certificate'] })).toEqual({
      verified: false,
      reason: 'trust store entry 1 holds no PEM certificate'
    })
    expect(
      await check('jws', signJws(image, signer), { ...policy, identities: ['x509.subject: CN=release'] })
    ).toEqual({
      verified: false,
      reason:
        "identity 'x509.subject: CN=release' is not a valid x509.subject: it lacks C, ST, O (C, ST and O are required)"
    })
  })
})

describe('verifyNotation, envelopes as written', () => {
  it('reads JWS signing times with the offset of the signer’s time zone', async () => {
    // Valid for one hour: read as UTC, a +08:00 time would fall eight hours after the leaf expired.
    const signingTime = new Date(Date.now() - 30 * 60_000)
    const leaf = ca.issueLeaf({
      notBefore: new Date(Date.now() - HOUR),
      notAfter: new Date(Date.now() + HOUR)
    })
    const bytes = signJws(image, leaf, { signingTime, utcOffsetMinutes: 8 * 60 })
    const header = JSON.parse(Buffer.from(JSON.parse(bytes.toString()).protected, 'base64url').toString())
    expect(header['io.cncf.notary.signingTime']).toMatch(/\+08:00$/)
    expect((await check('jws', bytes)).verified).toBe(true)
  })

  it('refuses a JWS whose protected header lacks crit or leaves the signing scheme out of it', async () => {
    const jwsWith = (headers: Record<string, unknown>) => {
      const protectedText = Buffer.from(JSON.stringify(headers)).toString('base64url')
      const payload = Buffer.from(JSON.stringify({ targetArtifact: image })).toString('base64url')
      const signature = sign('sha256', Buffer.from(`${protectedText}.${payload}`), {
        key: signer.leaf.privateKey,
        dsaEncoding: 'ieee-p1363'
      })
      return Buffer.from(
        JSON.stringify({
          payload,
          protected: protectedText,
          header: { x5c: signer.chain.map((certificate) => certificate.der.toString('base64')) },
          signature: signature.toString('base64url')
        })
      )
    }
    const headers = {
      alg: 'ES256',
      cty: 'application/vnd.cncf.notary.payload.v1+json',
      'io.cncf.notary.signingScheme': 'notary.x509',
      'io.cncf.notary.signingTime': new Date().toISOString()
    }
    expect((await check('jws', jwsWith(headers))).reason).toBe('crit header is missing')
    const expiry = new Date(Date.now() + HOUR).toISOString()
    expect(
      (
        await check(
          'jws',
          jwsWith({ ...headers, 'io.cncf.notary.expiry': expiry, crit: ['io.cncf.notary.expiry'] })
        )
      ).reason
    ).toBe('signing scheme header is not marked critical')
    expect(
      (
        await check(
          'jws',
          jwsWith({ ...headers, 'io.cncf.notary.expiry': expiry, crit: ['io.cncf.notary.signingScheme'] })
        )
      ).reason
    ).toBe('expiry header is not marked critical')
    expect(
      (await check('jws', jwsWith({ ...headers, crit: ['io.cncf.notary.signingScheme'] }))).verified
    ).toBe(true)
  })

  it('refuses what is not an envelope without throwing', async () => {
    expect((await check('jws', Buffer.from('not json'))).reason).toBe('JWS envelope is not JSON')
    expect((await check('jws', Buffer.from('{"signatures":[]}'))).reason).toBe(
      'JWS envelope is not in the flattened serialization'
    )
    expect((await check('cose', Buffer.from([0xd2, 0x84, 0x40]))).reason).toMatch(
      /^COSE envelope is not valid CBOR/
    )
    const untagged = ((decodeCbor(signCose(image, signer)) as CborTag).value as CborValue[]).slice()
    expect((await check('cose', encodeCbor(untagged))).reason).toBe(
      'COSE envelope is not a tagged COSE_Sign1 message'
    )
    const bytes = signJws(image, signer)
    const wrongType = {
      ...carrier('jws', bytes),
      mediaType: 'application/json'
    } as unknown as NotationCarrier
    expect(await verifyNotation(wrongType, image, policy)).toEqual({
      verified: false,
      reason: "envelope media type 'application/json' is neither JWS nor COSE"
    })
  })

  it('names a COSE header value that no JSON can hold, a CBOR big integer, in its refusal', async () => {
    const parts = (decodeCbor(signCose(image, signer)) as CborTag).value as CborValue[]
    const headers = decodeCbor(parts[0] as Uint8Array) as Map<CborValue, CborValue>
    const protectedBytes = encodeCbor(new Map(headers).set(3, 18446744073709551615n))
    const toBeSigned = encodeCbor(['Signature1', protectedBytes, new Uint8Array(0), parts[2]])
    const signature = sign('sha256', toBeSigned, { key: signer.leaf.privateKey, dsaEncoding: 'ieee-p1363' })
    const resigned = encodeCbor(new CborTag(18, [protectedBytes, parts[1], parts[2], signature]))
    expect((await check('cose', resigned)).reason).toBe(
      "payload content type '18446744073709551615' is not application/vnd.cncf.notary.payload.v1+json"
    )
  })

  it('refuses a COSE envelope without its certificate chain, or with a broken certificate in it', async () => {
    const parts = (decodeCbor(signCose(image, signer)) as CborTag).value as CborValue[]
    const unprotected = parts[1] as Map<CborValue, CborValue>
    const without = new Map(unprotected)
    without.delete(33)
    expect(
      (await check('cose', encodeCbor(new CborTag(18, [parts[0], without, parts[2], parts[3]])))).reason
    ).toBe('COSE envelope has no certificate chain (x5chain)')
    const broken = new Map(unprotected).set(33, [Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01)])
    expect(
      (await check('cose', encodeCbor(new CborTag(18, [parts[0], broken, parts[2], parts[3]])))).reason
    ).toBe("certificate 1 of the signature's chain cannot be read")
  })
})
