// Builds the seeded images of world.SEEDED_IMAGES and pushes them over the distribution API. Every byte is
// derived from the image's name, so digests are the same on every run. Layers are small opaque bytes: no one
// unpacks them, registries and imports only move and hash them.
import { createHash } from 'node:crypto'
import type { OciClient } from '../types.js'
import { MANY_TAG_REPOSITORIES, NGINX_TAGS, SEEDED_IMAGES, SUPPLY_CHAIN } from '../world.js'
import { sha256Digest } from './digest.js'
import { MEDIA_TYPES, type Descriptor } from './media-types.js'
import type { GraphManifest, SupplyChainGraph } from './supply-chain.js'

type SeededImage = (typeof SEEDED_IMAGES)[number]
type Flavor = 'docker' | 'oci'
export type Platform = { os: string; architecture: string; variant?: string }

const INDEX_PLATFORMS: Platform[] = [
  { os: 'linux', architecture: 'amd64' },
  { os: 'linux', architecture: 'arm64' },
  { os: 'linux', architecture: 'arm', variant: 'v7' }
]

/** A blob or manifest to push: its bytes and the descriptor that points at it. */
interface Part {
  bytes: Buffer
  descriptor: Descriptor
}

interface BuiltManifest extends Part {
  blobs: Part[]
}

/** `length` bytes that depend only on `seed`. */
export function bytesFromSeed(seed: string, length: number): Buffer {
  const blocks: Buffer[] = []
  for (let i = 0; blocks.length * 32 < length; i++)
    blocks.push(createHash('sha256').update(`${seed}#${i}`).digest())
  return Buffer.concat(blocks).subarray(0, length)
}

function part(bytes: Buffer, mediaType: string, platform?: Platform): Part {
  const descriptor: Descriptor = { mediaType, digest: sha256Digest(bytes), size: bytes.length }
  if (platform) descriptor.platform = platform
  return { bytes, descriptor }
}

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value, null, 2))

function imageManifest(seed: string, flavor: Flavor, platform: Platform): BuiltManifest {
  const layer = part(
    bytesFromSeed(`${seed}/layer`, 200 + (bytesFromSeed(seed, 1)[0] % 200)),
    flavor === 'docker' ? MEDIA_TYPES.dockerLayer : MEDIA_TYPES.ociLayer
  )
  const config = part(
    json({
      ...platform,
      created: '2024-05-01T00:00:00Z',
      config: { Cmd: ['/app'] },
      rootfs: { type: 'layers', diff_ids: [layer.descriptor.digest] }
    }),
    flavor === 'docker' ? MEDIA_TYPES.dockerConfig : MEDIA_TYPES.ociConfig
  )
  const mediaType = flavor === 'docker' ? MEDIA_TYPES.dockerManifest : MEDIA_TYPES.ociManifest
  const manifest = json({
    schemaVersion: 2,
    mediaType,
    config: config.descriptor,
    layers: [layer.descriptor]
  })
  return { ...part(manifest, mediaType, platform), blobs: [config, layer] }
}

function helmChart(image: SeededImage): BuiltManifest {
  const name = image.repo.split('/').pop()!
  const config = part(
    json({ name, version: image.tag, description: `${name} chart`, apiVersion: 'v2', type: 'application' }),
    MEDIA_TYPES.helmConfig
  )
  const chart = part(
    bytesFromSeed(`${image.host}/${image.repo}:${image.tag}/chart`, 300),
    MEDIA_TYPES.helmChart
  )
  const manifest = json({
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    config: config.descriptor,
    layers: [chart.descriptor]
  })
  return { ...part(manifest, MEDIA_TYPES.ociManifest), blobs: [config, chart] }
}

async function pushManifest(client: OciClient, repo: string, built: BuiltManifest): Promise<void> {
  await Promise.all(built.blobs.map((blob) => client.putBlob(repo, blob.bytes)))
  await client.putManifest(repo, built.descriptor.digest, built.bytes, built.descriptor.mediaType)
}

/** The manifests of one seeded image: an index with its children, or one manifest. */
function buildImage(image: SeededImage): { top: Part; manifests: BuiltManifest[] } {
  const seed = `${image.host}/${image.repo}:${image.tag}`
  if (image.kind === 'helm') {
    const chart = helmChart(image)
    return { top: chart, manifests: [chart] }
  }
  if (image.kind !== 'index') {
    const single = imageManifest(seed, image.kind === 'docker-v2' ? 'docker' : 'oci', INDEX_PLATFORMS[0])
    return { top: single, manifests: [single] }
  }
  // Docker Hub's official images are Docker manifest lists; elsewhere multi-arch images are OCI indexes.
  const flavor: Flavor = image.host === 'docker.io' ? 'docker' : 'oci'
  const children = INDEX_PLATFORMS.map((platform) =>
    imageManifest(`${seed}/${platformKey(platform)}`, flavor, platform)
  )
  return { top: indexOf(children, flavor), manifests: children }
}

function indexOf(children: BuiltManifest[], flavor: Flavor): Part {
  const mediaType = flavor === 'docker' ? MEDIA_TYPES.dockerList : MEDIA_TYPES.ociIndex
  return part(json({ schemaVersion: 2, mediaType, manifests: children.map((c) => c.descriptor) }), mediaType)
}

const platformKey = (p: Platform): string => [p.os, p.architecture, p.variant].filter(Boolean).join('-')

/** Pushes one seeded image (every child and blob) and tags it; returns its digest. */
export async function seedImage(client: OciClient, image: SeededImage): Promise<string> {
  const { top, manifests } = buildImage(image)
  await Promise.all(manifests.map((manifest) => pushManifest(client, image.repo, manifest)))
  return client.putManifest(image.repo, image.tag, top.bytes, top.descriptor.mediaType)
}

/**
 * Seeds a repository with the NGINX_TAGS scheme: one image per release, prerelease and variant (its own config,
 * one shared layer), then every alias as a second tag on its target's manifest. The bytes depend only on the
 * tag, so a mirror seeded the same way has the same digests.
 */
export async function seedManyTags(client: OciClient, repo: string): Promise<void> {
  const layer = part(bytesFromSeed('nginx/shared-layer', 256), MEDIA_TYPES.dockerLayer)
  await client.putBlob(repo, layer.bytes)
  const images = new Map<string, Part>()
  await Promise.all(
    [...NGINX_TAGS.releases, ...NGINX_TAGS.prereleases, ...NGINX_TAGS.variants].map(async (tag) => {
      const config = part(
        json({
          ...INDEX_PLATFORMS[0],
          created: '2024-05-01T00:00:00Z',
          // The variant's own config, so a variant is another image than its release.
          config: {
            Env: [`NGINX_VERSION=${tag.replace(/-alpine$/, '')}`],
            Labels: { variant: tag.endsWith('-alpine') ? 'alpine' : 'debian' }
          },
          rootfs: { type: 'layers', diff_ids: [layer.descriptor.digest] }
        }),
        MEDIA_TYPES.dockerConfig
      )
      const manifest = part(
        json({
          schemaVersion: 2,
          mediaType: MEDIA_TYPES.dockerManifest,
          config: config.descriptor,
          layers: [layer.descriptor]
        }),
        MEDIA_TYPES.dockerManifest
      )
      await client.putBlob(repo, config.bytes)
      await client.putManifest(repo, tag, manifest.bytes, MEDIA_TYPES.dockerManifest)
      images.set(tag, manifest)
    })
  )
  await Promise.all(
    Object.entries(NGINX_TAGS.aliases).map(([alias, target]) =>
      client.putManifest(repo, alias, images.get(target)!.bytes, MEDIA_TYPES.dockerManifest)
    )
  )
}

/**
 * Pushes a supply-chain graph: every blob (shared ones once), then the manifests by digest in order (children
 * before their index, subjects before their referrers), then the tags.
 */
export async function seedGraph(client: OciClient, graph: SupplyChainGraph): Promise<void> {
  const blobs = new Map(graph.order.flatMap((m) => m.blobs.map((b) => [b.descriptor.digest, b.bytes])))
  await Promise.all([...blobs.values()].map((bytes) => client.putBlob(graph.repo, bytes)))
  for (const manifest of graph.order)
    await client.putManifest(graph.repo, manifest.digest, manifest.bytes, manifest.mediaType)
  for (const manifest of graph.order) {
    if (manifest.tag) await client.putManifest(graph.repo, manifest.tag, manifest.bytes, manifest.mediaType)
  }
}

/**
 * Pushes one manifest of a supply chain (its blobs, itself by digest, then under its tag if it has one) into
 * `repo`, e.g. a signature added to an image after a first import (supply-chain.notarySignatureOn). Returns
 * its digest. Through a front client it goes through the front's rules (ACR's locks, auth).
 */
export async function pushGraphManifest(
  client: OciClient,
  repo: string,
  manifest: GraphManifest
): Promise<string> {
  for (const blob of manifest.blobs) await client.putBlob(repo, blob.bytes)
  const digest = await client.putManifest(repo, manifest.digest, manifest.bytes, manifest.mediaType)
  if (manifest.tag) await client.putManifest(repo, manifest.tag, manifest.bytes, manifest.mediaType)
  return digest
}

/** Seeds every image of the world into the backend that serves its host. */
export async function seedWorld(backendFor: (host: string) => OciClient): Promise<void> {
  await Promise.all([
    ...SEEDED_IMAGES.map((image) => seedImage(backendFor(image.host), image)),
    ...MANY_TAG_REPOSITORIES.map(({ host, repo }) => seedManyTags(backendFor(host), repo)),
    ...Object.values(SUPPLY_CHAIN).map((graph) => seedGraph(backendFor(graph.host), graph))
  ])
}

/**
 * Pushes an OCI index with one tiny image per platform to `repo:tag` (for tests that need an image the seeded
 * world lacks, such as one with more manifests than ACR imports); returns the index digest.
 */
export async function pushIndex(
  client: OciClient,
  repo: string,
  tag: string,
  platforms: Platform[]
): Promise<string> {
  const children = platforms.map((platform) =>
    imageManifest(`${repo}:${tag}/${platformKey(platform)}`, 'oci', platform)
  )
  await Promise.all(children.map((child) => pushManifest(client, repo, child)))
  const index = indexOf(children, 'oci')
  return client.putManifest(repo, tag, index.bytes, index.descriptor.mediaType)
}
