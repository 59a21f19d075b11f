// The kit's signatures are the shapes notation writes, so end-to-end tests push what a registry would hold.
import { beforeAll, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { decodeCbor } from '../../../src/core/signatures/cbor-decode.js'
import { CborTag, type CborValue } from '../../../src/core/signatures/cbor-value.js'
import {
  DEFAULT_LEAF_SUBJECT,
  makeCertificateAuthority,
  notationSignature,
  signCose,
  signJws,
  type SigningIdentity,
  type TargetArtifact
} from '../../signing/notation-kit.js'

const image: TargetArtifact = {
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  digest: `sha256:${'d4'.repeat(32)}`,
  size: 525
}
const sha256 = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`
const signingTime = new Date('2025-03-04T05:06:07.890Z')
const expiry = new Date('2025-04-04T05:06:07Z')

let identity: SigningIdentity

beforeAll(() => {
  identity = makeCertificateAuthority({ intermediate: true }).issueLeaf()
})

describe('the Notation test kit', () => {
  it('issues a code-signing leaf under its CA, the chain leaf first and the root in the trust store', () => {
    expect(identity.leaf.subject).toBe(DEFAULT_LEAF_SUBJECT)
    expect(identity.chain.map((certificate) => certificate.subject)).toEqual([
      DEFAULT_LEAF_SUBJECT,
      'C=US, ST=WA, O=Contoso, CN=Contoso Root CA Intermediate',
      'C=US, ST=WA, O=Contoso, CN=Contoso Root CA'
    ])
    expect(identity.trustStorePems).toEqual([identity.chain[2].pem])
  })

  it('packs a signature as notation pushes it: the manifest, its blobs and its annotations', () => {
    const signature = notationSignature(image, identity, { format: 'cose', signingTime })
    const manifest = JSON.parse(signature.manifest.toString())
    expect(Object.keys(manifest)).toEqual([
      'schemaVersion',
      'mediaType',
      'artifactType',
      'config',
      'layers',
      'subject',
      'annotations'
    ])
    expect(manifest).toEqual({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: 'application/vnd.cncf.notary.signature',
      config: {
        mediaType: 'application/vnd.oci.empty.v1+json',
        digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
        size: 2,
        data: 'e30='
      },
      layers: [
        { mediaType: 'application/cose', digest: sha256(signature.envelope), size: signature.envelope.length }
      ],
      subject: image,
      annotations: {
        'io.cncf.notary.x509chain.thumbprint#S256': JSON.stringify(
          identity.chain.map((certificate) => createHash('sha256').update(certificate.der).digest('hex'))
        ),
        'org.opencontainers.image.created': '2025-03-04T05:06:07Z'
      }
    })
    expect(signature.manifestDigest).toBe(sha256(signature.manifest))
    expect(
      signature.blobs.map(({ mediaType, digest, bytes }) => [mediaType, digest, bytes.toString('hex')])
    ).toEqual([
      ['application/vnd.oci.empty.v1+json', manifest.config.digest, Buffer.from('{}').toString('hex')],
      ['application/cose', manifest.layers[0].digest, signature.envelope.toString('hex')]
    ])
  })

  it('writes a JWS envelope as notation-core-go: flattened, Go-sorted protected header, RFC 3339 times', () => {
    const envelope = JSON.parse(
      signJws(image, identity, {
        signingTime,
        expiry,
        extraProtectedHeaders: { 'com.example.critical': 'yes' },
        extraCritical: ['com.example.critical']
      }).toString()
    )
    expect(Object.keys(envelope)).toEqual(['payload', 'protected', 'header', 'signature'])
    expect(Object.keys(envelope.header)).toEqual(['x5c', 'io.cncf.notary.signingAgent'])
    expect(envelope.header.x5c).toEqual(
      identity.chain.map((certificate) => certificate.der.toString('base64'))
    )
    const protectedHeader = Buffer.from(envelope.protected, 'base64url').toString()
    expect(protectedHeader).toBe(
      JSON.stringify({
        alg: 'ES256',
        'com.example.critical': 'yes',
        crit: ['io.cncf.notary.signingScheme', 'com.example.critical', 'io.cncf.notary.expiry'],
        cty: 'application/vnd.cncf.notary.payload.v1+json',
        'io.cncf.notary.expiry': '2025-04-04T05:06:07Z',
        'io.cncf.notary.signingScheme': 'notary.x509',
        'io.cncf.notary.signingTime': '2025-03-04T05:06:07Z'
      })
    )
    // Through jwt.MapClaims, the descriptor's keys come out sorted.
    expect(Buffer.from(envelope.payload, 'base64url').toString()).toBe(
      `{"targetArtifact":{"digest":"${image.digest}","mediaType":"${image.mediaType}","size":525}}`
    )
    expect(Buffer.from(envelope.signature, 'base64url')).toHaveLength(64)
  })

  it('writes a COSE envelope as go-cose: tag 18, deterministic header order, tag-1 times, x5chain in the clear', () => {
    const message = decodeCbor(signCose(image, identity, { signingTime, expiry })) as CborTag
    expect(message.tag).toBe(18)
    const [protectedBytes, unprotected, payload, signature] = message.value as CborValue[]
    const headers = decodeCbor(protectedBytes as Uint8Array) as Map<CborValue, CborValue>
    expect([...headers.keys()]).toEqual([
      1,
      2,
      3,
      'io.cncf.notary.expiry',
      'io.cncf.notary.signingTime',
      'io.cncf.notary.signingScheme'
    ])
    expect(headers.get(1)).toBe(-7)
    expect(headers.get(2)).toEqual(['io.cncf.notary.signingScheme', 'io.cncf.notary.expiry'])
    expect(headers.get('io.cncf.notary.signingTime')).toEqual(new CborTag(1, 1741064767))
    expect(headers.get('io.cncf.notary.expiry')).toEqual(new CborTag(1, 1743743167))
    const clear = unprotected as Map<CborValue, CborValue>
    expect([...clear.keys()]).toEqual([33, 'io.cncf.notary.signingAgent'])
    expect((clear.get(33) as Uint8Array[]).map((der) => Buffer.from(der).toString('hex'))).toEqual(
      identity.chain.map((certificate) => certificate.der.toString('hex'))
    )
    // The descriptor as notation marshals the Go struct: mediaType, digest, size.
    expect(Buffer.from(payload as Uint8Array).toString()).toBe(
      `{"targetArtifact":{"mediaType":"${image.mediaType}","digest":"${image.digest}","size":525}}`
    )
    expect(signature).toHaveLength(64)
  })
})
