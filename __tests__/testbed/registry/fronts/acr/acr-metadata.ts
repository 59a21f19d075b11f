// The ACR metadata API that @azure/container-registry reads (/acr/v1/...), answered from the backing
// registry. Distribution keeps no timestamps, so "created" is when the front first saw a tag or manifest and
// "last updated" is when a tag last moved. Distribution has no API that lists a repository's manifests, so the
// manifest list reads the backend's storage folder (the revision links of the repository), which holds every
// manifest: tagged, untagged and the children of an index.
import { readdir } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { join } from 'node:path'
import { sendJson } from '../../../net/http-io.js'
import type { OciClient, RegistryRuntime } from '../../../types.js'
import { isIndexMediaType, type ImageIndex, type ImageManifest } from '../../media-types.js'
import { sendRegistryError } from '../distribution-errors.js'

/** Digests of every manifest a distribution server's storage (its `rootdirectory`) holds for `repository`, sorted. */
export async function storedManifestDigests(storageDir: string, repository: string): Promise<string[]> {
  const revisions = join(
    storageDir,
    'docker/registry/v2/repositories',
    ...repository.split('/'),
    '_manifests/revisions/sha256'
  )
  const entries = await readdir(revisions, { withFileTypes: true }).catch(() => [])
  const digests: string[] = []
  for (const entry of entries) {
    if (!entry.isDirectory() || !/^[a-f0-9]{64}$/.test(entry.name)) continue
    // A deleted manifest keeps its folder but loses its link.
    const link = await readdir(join(revisions, entry.name)).catch((): string[] => [])
    if (link.includes('link')) digests.push(`sha256:${entry.name}`)
  }
  return digests.sort()
}

class FirstSeenClock {
  private readonly seen = new Map<string, { digest: string; created: string; updated: string }>()

  stamp(key: string, digest: string): { createdTime: string; lastUpdateTime: string } {
    const now = new Date().toISOString()
    let entry = this.seen.get(key)
    if (!entry) this.seen.set(key, (entry = { digest, created: now, updated: now }))
    else if (entry.digest !== digest) Object.assign(entry, { digest, updated: now })
    return { createdTime: entry.created, lastUpdateTime: entry.updated }
  }
}

export type AcrMetadataRoute =
  | { kind: 'tag'; repository: string; tag: string }
  | { kind: 'tags'; repository: string }
  | { kind: 'manifest'; repository: string; digest: string }
  | { kind: 'manifests'; repository: string }
  | { kind: 'catalog' }

/** Which metadata call a path is (names may contain '/', and the SDK percent-encodes digests). */
export function parseAcrMetadataPath(rawPath: string): AcrMetadataRoute | undefined {
  const path = decodeURIComponent(rawPath.split('?')[0])
  if (path === '/acr/v1/_catalog') return { kind: 'catalog' }
  let match = /^\/acr\/v1\/(.+)\/_tags\/([^/]+)$/.exec(path)
  if (match) return { kind: 'tag', repository: match[1], tag: match[2] }
  match = /^\/acr\/v1\/(.+)\/_tags$/.exec(path)
  if (match) return { kind: 'tags', repository: match[1] }
  match = /^\/acr\/v1\/(.+)\/_manifests\/([^/]+)$/.exec(path)
  if (match) return { kind: 'manifest', repository: match[1], digest: match[2] }
  match = /^\/acr\/v1\/(.+)\/_manifests$/.exec(path)
  if (match) return { kind: 'manifests', repository: match[1] }
  return undefined
}

/**
 * One page of the sorted `all` for `?n=&last=&orderby=`, and the `Link` header to the next page as ACR writes
 * it: `</acr/v1/<repo>/_tags?last=<item>&n=<n>&orderby=>; rel="next"`, percent-encoded (azure-sdk-for-js
 * recordings).
 */
function pageOf(all: string[], query: URLSearchParams) {
  const last = query.get('last')
  const after = last ? all.filter((item) => item > last) : all
  const n = Number.parseInt(query.get('n') ?? '', 10)
  const items = n > 0 ? after.slice(0, n) : after
  return {
    items,
    linkTo(path: string): Record<string, string> {
      if (!items.length || items.length === after.length) return {}
      const orderby = encodeURIComponent(query.get('orderby') ?? '')
      return {
        link: `<${path}?last=${encodeURIComponent(items.at(-1)!)}&n=${n}&orderby=${orderby}>; rel="next"`
      }
    }
  }
}

export class AcrMetadata {
  private readonly clock = new FirstSeenClock()

  constructor(
    private readonly registry: RegistryRuntime,
    /** The backing distribution server's storage root (its `rootdirectory`). */
    private readonly storageDir?: string
  ) {}

  private get backend(): OciClient {
    return this.registry.backend
  }

  async answer(
    route: AcrMetadataRoute,
    res: ServerResponse,
    catalog: () => Promise<string[]>,
    query: URLSearchParams = new URLSearchParams()
  ): Promise<void> {
    const base = { registry: this.registry.loginServer }
    switch (route.kind) {
      case 'catalog':
        sendJson(res, 200, { ...base, repositories: await catalog() })
        return
      case 'tag': {
        const tag = await this.tagAttributes(route.repository, route.tag)
        if (tag) sendJson(res, 200, { ...base, imageName: route.repository, tag })
        else sendRegistryError(res, 404, 'TAG_UNKNOWN', 'the specified tag does not exist')
        return
      }
      case 'tags': {
        // Paged like the manifest list (n, last, ACR's Link); ordered by name (ACR's default order is not
        // documented; the time orders of `orderby` are not modelled).
        const names = await this.backend.listTags(route.repository)
        if (!names.length) {
          sendRegistryError(res, 404, 'NAME_UNKNOWN', 'repository name not known to registry')
          return
        }
        const page = pageOf(names.sort(), query)
        const tags = await Promise.all(page.items.map((name) => this.tagAttributes(route.repository, name)))
        sendJson(
          res,
          200,
          { ...base, imageName: route.repository, tags: tags.filter(Boolean) },
          page.linkTo(`/acr/v1/${encodeURIComponent(route.repository)}/_tags`)
        )
        return
      }
      case 'manifest': {
        const manifest = await this.manifestAttributes(route.repository, route.digest)
        if (manifest) sendJson(res, 200, { ...base, imageName: route.repository, manifest })
        else sendRegistryError(res, 404, 'MANIFEST_UNKNOWN', 'manifest unknown')
        return
      }
      case 'manifests':
        await this.listManifests(route.repository, res, query)
    }
  }

  /**
   * PATCH /acr/v1/<repo>/_tags/<tag> or /_manifests/<digest> with any of `writeEnabled`, `deleteEnabled`,
   * `readEnabled`, `listEnabled` (what updateTagProperties / updateManifestProperties send; the azure-sdk-for-js
   * recording "sets tag properties" shows the body and the 200 answer, which is the GET's shape with the new
   * `changeableAttributes`). Attributes not given keep their value. 404 TAG_UNKNOWN / MANIFEST_UNKNOWN as for
   * the GET. A body that is not a JSON object is answered 400 (ACR's code for it is not known).
   */
  async patch(route: AcrMetadataRoute, res: ServerResponse, body: Buffer): Promise<void> {
    let change: unknown
    try {
      change = JSON.parse(body.toString('utf8'))
    } catch {
      change = undefined
    }
    if (typeof change !== 'object' || change === null || Array.isArray(change)) {
      sendRegistryError(
        res,
        400,
        'BAD_REQUEST',
        'the request body must be a JSON object of changeable attributes'
      )
      return
    }
    if (route.kind === 'tag') {
      if (!(await this.backend.headManifest(route.repository, route.tag))) {
        sendRegistryError(res, 404, 'TAG_UNKNOWN', 'the specified tag does not exist')
        return
      }
      this.registry.attributes.setTag(route.repository, route.tag, change)
    } else if (route.kind === 'manifest') {
      if (!(await this.backend.headManifest(route.repository, route.digest))) {
        sendRegistryError(res, 404, 'MANIFEST_UNKNOWN', 'manifest unknown')
        return
      }
      this.registry.attributes.setManifest(route.repository, route.digest, change)
    } else {
      sendRegistryError(res, 405, 'UNSUPPORTED', 'The operation is unsupported.')
      return
    }
    await this.answer(route, res, () => Promise.resolve([]))
  }

  /**
   * GET /acr/v1/<repo>/_manifests[?n=&last=&orderby=]: every manifest of the repository, in ACR's shape
   * (`{registry, imageName, manifests: [{digest, imageSize, createdTime, lastUpdateTime, architecture, os,
   * mediaType, tags, changeableAttributes}]}`, from the azure-sdk-for-js recordings; `tags` only on tagged
   * manifests), ordered by digest as the recordings show, `n` to a page with a `Link` to the next one
   * (`</acr/v1/<repo>/_manifests?last=<digest>&n=<n>&orderby=>; rel="next"`, percent-encoded as ACR sends it).
   * The other `orderby` values (timedesc, timeasc) are not modelled: the test bed keeps no push times.
   */
  private async listManifests(
    repository: string,
    res: ServerResponse,
    query: URLSearchParams
  ): Promise<void> {
    const digests = await this.manifestDigests(repository)
    if (!digests.length) {
      sendRegistryError(res, 404, 'NAME_UNKNOWN', 'repository name not known to registry')
      return
    }
    const tagsByDigest = new Map<string, string[]>()
    for (const tag of await this.backend.listTags(repository)) {
      const digest = await this.backend.headManifest(repository, tag)
      if (digest) tagsByDigest.set(digest, [...(tagsByDigest.get(digest) ?? []), tag])
    }
    const page = pageOf(digests, query)
    const manifests = []
    for (const digest of page.items) {
      const attributes = await this.manifestAttributes(repository, digest, tagsByDigest.get(digest) ?? [])
      if (!attributes) continue
      const { tags, imageSize, createdTime, lastUpdateTime, mediaType, changeableAttributes } = attributes
      const platform = attributes as { architecture?: string; os?: string }
      manifests.push({
        digest,
        imageSize,
        createdTime,
        lastUpdateTime,
        ...(platform.architecture ? { architecture: platform.architecture } : {}),
        ...(platform.os ? { os: platform.os } : {}),
        mediaType,
        ...(tags.length ? { tags } : {}),
        changeableAttributes
      })
    }
    sendJson(
      res,
      200,
      { registry: this.registry.loginServer, imageName: repository, manifests },
      page.linkTo(`/acr/v1/${encodeURIComponent(repository)}/_manifests`)
    )
  }

  private manifestDigests(repository: string): Promise<string[]> {
    return this.storageDir ? storedManifestDigests(this.storageDir, repository) : Promise.resolve([])
  }

  private async tagAttributes(repository: string, tag: string) {
    const digest = await this.backend.headManifest(repository, tag)
    if (!digest) return undefined
    return {
      name: tag,
      digest,
      ...this.clock.stamp(`${repository}:${tag}`, digest),
      signed: false,
      changeableAttributes: this.registry.attributes.tag(repository, tag)
    }
  }

  private async manifestAttributes(repository: string, digest: string, knownTags?: string[]) {
    const manifest = await this.backend.getManifest(repository, digest)
    if (!manifest) return undefined
    const tags: string[] = knownTags ?? []
    if (!knownTags) {
      for (const tag of await this.backend.listTags(repository)) {
        if ((await this.backend.headManifest(repository, tag)) === manifest.digest) tags.push(tag)
      }
    }
    const parsed = JSON.parse(manifest.body.toString()) as Partial<ImageIndex & ImageManifest>
    const shape = isIndexMediaType(manifest.mediaType)
      ? {
          imageSize: (parsed.manifests ?? []).reduce((sum, child) => sum + child.size, manifest.body.length),
          references: (parsed.manifests ?? []).map((child) => ({
            digest: child.digest,
            architecture: child.platform?.architecture,
            os: child.platform?.os
          }))
        }
      : {
          imageSize: [parsed.config, ...(parsed.layers ?? [])].reduce(
            (sum, blob) => sum + (blob?.size ?? 0),
            0
          ),
          ...(await this.platformOf(repository, parsed as ImageManifest))
        }
    return {
      digest: manifest.digest,
      mediaType: manifest.mediaType,
      ...this.clock.stamp(manifest.digest, manifest.digest),
      ...shape,
      tags,
      changeableAttributes: this.registry.attributes.manifest(repository, manifest.digest)
    }
  }

  /** Architecture and OS of an image, from its config (artifacts such as Helm charts have none). */
  private async platformOf(
    repository: string,
    manifest: ImageManifest
  ): Promise<{ architecture?: string; os?: string }> {
    if (!manifest.config) return {}
    try {
      const config = JSON.parse((await this.backend.getBlob(repository, manifest.config.digest)).toString())
      return { architecture: config.architecture, os: config.os }
    } catch {
      return {}
    }
  }
}
