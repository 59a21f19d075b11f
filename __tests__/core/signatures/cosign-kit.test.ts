// The kit's OCI artifacts, as end-to-end tests push them: the `.sig` image cosign's tag scheme names, and the
// bundle referrer cosign v3 writes; what they hold verifies.
import { createHash } from 'node:crypto'
import { describe, expect, it } from '@jest/globals'
import { verifyCosign } from '../../../src/core/signatures/cosign-verify.js'
import {
  COSIGN_SIGN_PREDICATE_TYPE,
  SIGSTORE_BUNDLE_MEDIA_TYPE,
  cosignCarrier,
  cosignSignatureImage,
  cosignSignatureLayer,
  createSigningKey,
  randomDigest,
  sigstoreBundle,
  sigstoreBundleCarrier,
  sigstoreBundleReferrer
} from '../../signing/cosign-kit.js'

const digestOf = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`

describe('cosign-kit artifacts', () => {
  const key = createSigningKey()
  const image = randomDigest()
  const policy = { publicKeyPem: key.publicKeyPem, transparencyLog: 'skip' } as const

  it("makes the sha256-<hex>.sig image, its layers' blobs and annotations as cosign writes them", async () => {
    const layers = [1, 2].map(() => cosignSignatureLayer({ imageDigest: image, signer: { key } }))
    const artifact = cosignSignatureImage(image, layers)
    const manifest = JSON.parse(artifact.manifest.toString())
    expect(artifact.tag).toBe(`sha256-${image.slice(7)}.sig`)
    expect(artifact.digest).toBe(digestOf(artifact.manifest))
    expect(manifest.mediaType).toBe('application/vnd.oci.image.manifest.v1+json')
    expect(manifest.config.digest).toBe(digestOf(artifact.blobs[0]))
    expect(manifest.layers).toHaveLength(2)
    for (const [i, layer] of manifest.layers.entries()) {
      expect(layer.mediaType).toBe('application/vnd.dev.cosign.simplesigning.v1+json')
      expect(layer.digest).toBe(digestOf(artifact.blobs[i + 1]))
      const carrier = cosignCarrier({
        ...layers[i],
        payload: artifact.blobs[i + 1],
        annotations: layer.annotations
      })
      expect((await verifyCosign(carrier, image, policy)).verified).toBe(true)
    }
  })

  it('makes the bundle referrer cosign v3 pushes, subject and annotations included', async () => {
    const bundle = sigstoreBundle({ imageDigest: image, signer: { key } })
    const subject = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: image, size: 1234 }
    const artifact = sigstoreBundleReferrer(subject, bundle)
    const manifest = JSON.parse(artifact.manifest.toString())
    expect(manifest).toMatchObject({
      artifactType: SIGSTORE_BUNDLE_MEDIA_TYPE,
      config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: digestOf(Buffer.from('{}')) },
      layers: [{ mediaType: SIGSTORE_BUNDLE_MEDIA_TYPE, digest: digestOf(bundle), size: bundle.length }],
      subject,
      annotations: {
        'dev.sigstore.bundle.content': 'dsse-envelope',
        'dev.sigstore.bundle.predicateType': COSIGN_SIGN_PREDICATE_TYPE
      }
    })
    expect(artifact.blobs).toEqual([Buffer.from('{}'), bundle])
    expect((await verifyCosign(sigstoreBundleCarrier(artifact.blobs[1]), image, policy)).verified).toBe(true)
  })
})
