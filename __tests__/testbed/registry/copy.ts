// Copies an image between registries the way ACR's import does: every child manifest of an index and every
// blob, byte for byte (so digests are preserved), manifests pushed by digest first and tagged last.
import type { CopyResult, OciClient } from '../types.js'
import {
  isIndexMediaType,
  platformName,
  type Descriptor,
  type ImageIndex,
  type ImageManifest
} from './media-types.js'

/** ACR's documented limit on the manifests of one imported image. */
export const DEFAULT_MAX_MANIFESTS = 50

interface FetchedManifest {
  body: Buffer
  mediaType: string
  digest: string
}

async function fetchManifest(client: OciClient, repo: string, reference: string): Promise<FetchedManifest> {
  const manifest = await client.getManifest(repo, reference)
  if (!manifest) throw new Error(`Manifest ${repo}:${reference} was not found in the source registry.`)
  return manifest
}

/**
 * Uploads in flight per destination client, by `<repo>@<digest>`. distribution 2.8 answers a HEAD (or a second
 * upload) of a blob into a repository with a 500 while another upload of that same blob into that repository is
 * being committed, which ACR never does: concurrent imports that share a layer (tag aliases, one base image)
 * both succeed there. So copies into one repository share one upload of each blob.
 */
const uploads = new WeakMap<OciClient, Map<string, Promise<void>>>()

function copyBlob(src: OciClient, srcRepo: string, dst: OciClient, dstRepo: string, digest: string) {
  let inFlight = uploads.get(dst)
  if (!inFlight) uploads.set(dst, (inFlight = new Map()))
  const key = `${dstRepo}@${digest}`
  const running = inFlight.get(key)
  if (running) return running
  const upload = (async () => {
    if (await dst.hasBlob(dstRepo, digest)) return
    await dst.putBlob(dstRepo, await src.getBlob(srcRepo, digest))
  })().finally(() => inFlight.delete(key))
  inFlight.set(key, upload)
  return upload
}

async function copyBlobs(
  src: OciClient,
  srcRepo: string,
  dst: OciClient,
  dstRepo: string,
  blobs: Descriptor[]
) {
  for (const blob of blobs) await copyBlob(src, srcRepo, dst, dstRepo, blob.digest)
}

/** Platform of a single-image manifest, read from its image config (artifacts such as Helm charts have none). */
async function platformOf(
  src: OciClient,
  repo: string,
  manifest: ImageManifest
): Promise<string | undefined> {
  try {
    const config = JSON.parse((await src.getBlob(repo, manifest.config.digest)).toString()) as {
      os?: string
      architecture?: string
      variant?: string
    }
    return config.os && config.architecture
      ? platformName({ os: config.os, architecture: config.architecture, variant: config.variant })
      : undefined
  } catch {
    return undefined
  }
}

/**
 * The blobs of a manifest: its config and layers. An OCI 1.1 artifact (a signature, an SBOM) has the same
 * shape, often with the 2-byte empty config `application/vnd.oci.empty.v1+json`, which is copied like any blob;
 * its `subject` is only bytes of the manifest and is copied with them.
 */
const blobsOf = (manifest: ImageManifest): Descriptor[] =>
  [manifest.config, ...(manifest.layers ?? [])].filter((blob): blob is Descriptor => Boolean(blob))

export async function copyImage(
  src: OciClient,
  srcRepo: string,
  reference: string,
  dst: OciClient,
  dstRepo: string,
  tags: string[],
  options: { maxManifests?: number } = {}
): Promise<CopyResult> {
  const maxManifests = options.maxManifests ?? DEFAULT_MAX_MANIFESTS
  const top = await fetchManifest(src, srcRepo, reference)
  let platforms: string[] = []
  let manifests = 1

  if (isIndexMediaType(top.mediaType)) {
    const children = (JSON.parse(top.body.toString()) as ImageIndex).manifests
    manifests += children.length
    if (manifests > maxManifests) {
      throw new Error(
        `The image ${srcRepo}@${top.digest} has ${manifests} manifests; ` +
          `the maximum number of manifests for an imported image is ${maxManifests}.`
      )
    }
    for (const child of children) {
      const fetched = await fetchManifest(src, srcRepo, child.digest)
      const image = JSON.parse(fetched.body.toString()) as ImageManifest
      await copyBlobs(src, srcRepo, dst, dstRepo, blobsOf(image))
      await dst.putManifest(dstRepo, fetched.digest, fetched.body, fetched.mediaType)
    }
    platforms = children.filter((child) => child.platform).map((child) => platformName(child.platform!))
  } else {
    const image = JSON.parse(top.body.toString()) as ImageManifest
    await copyBlobs(src, srcRepo, dst, dstRepo, blobsOf(image))
    const platform = await platformOf(src, srcRepo, image)
    if (platform) platforms = [platform]
  }

  const digest = await dst.putManifest(dstRepo, top.digest, top.body, top.mediaType)
  if (digest !== top.digest)
    throw new Error(`Copy changed the digest of ${srcRepo}@${top.digest} to ${digest}`)
  for (const tag of tags) await dst.putManifest(dstRepo, tag, top.body, top.mediaType)
  return { digest, mediaType: top.mediaType, manifests, platforms }
}
