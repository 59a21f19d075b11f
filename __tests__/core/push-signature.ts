// A signature added to a source after a first promotion: a Notation-style referrer of `subject`, pushed straight
// into the source registry's storage, as a signing job would push it. Returns its digest.
import { createHash } from 'node:crypto'
import type { Testbed } from '../testbed/index.js'

const sha = (bytes: Buffer): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`

export async function pushSignature(
  testbed: Testbed,
  registry: string,
  repo: string,
  subject: string
): Promise<string> {
  const backend = testbed.backend(registry)
  const config = Buffer.from('{}')
  const layer = Buffer.from(`a signature added later ${Date.now()} ${Math.random()}`)
  await backend.putBlob(repo, config)
  await backend.putBlob(repo, layer)
  const of = await backend.getManifest(repo, subject)
  if (!of) throw new Error(`${registry}/${repo}@${subject} is not in the test bed`)
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: 'application/vnd.cncf.notary.signature',
      config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: sha(config), size: config.length },
      layers: [{ mediaType: 'application/jose+json', digest: sha(layer), size: layer.length }],
      subject: { mediaType: of.mediaType, digest: subject, size: of.body.length }
    })
  )
  return backend.putManifest(repo, sha(manifest), manifest, 'application/vnd.oci.image.manifest.v1+json')
}
