// The ACR metadata API that @azure/container-registry reads (/acr/v1/...), answered from the backing
// registry. Distribution keeps no timestamps, so "created" is when the front first saw a tag or manifest and
// "last updated" is when a tag last moved.
import type { ServerResponse } from 'node:http'
import { sendJson } from '../../../net/http-io.js'
import type { OciClient, RegistryRuntime } from '../../../types.js'
import { isIndexMediaType, type ImageIndex, type ImageManifest } from '../../media-types.js'
import { sendRegistryError } from '../distribution-errors.js'

const CHANGEABLE_ATTRIBUTES = {
  deleteEnabled: true,
  writeEnabled: true,
  readEnabled: true,
  listEnabled: true
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
  return undefined
}

export class AcrMetadata {
  private readonly clock = new FirstSeenClock()

  constructor(private readonly registry: RegistryRuntime) {}

  private get backend(): OciClient {
    return this.registry.backend
  }

  async answer(
    route: AcrMetadataRoute,
    res: ServerResponse,
    catalog: () => Promise<string[]>
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
        const names = await this.backend.listTags(route.repository)
        if (!names.length) {
          sendRegistryError(res, 404, 'NAME_UNKNOWN', 'repository name not known to registry')
          return
        }
        const tags = await Promise.all(names.map((name) => this.tagAttributes(route.repository, name)))
        sendJson(res, 200, { ...base, imageName: route.repository, tags: tags.filter(Boolean) })
        return
      }
      case 'manifest': {
        const manifest = await this.manifestAttributes(route.repository, route.digest)
        if (manifest) sendJson(res, 200, { ...base, imageName: route.repository, manifest })
        else sendRegistryError(res, 404, 'MANIFEST_UNKNOWN', 'manifest unknown')
      }
    }
  }

  private async tagAttributes(repository: string, tag: string) {
    const digest = await this.backend.headManifest(repository, tag)
    if (!digest) return undefined
    return {
      name: tag,
      digest,
      ...this.clock.stamp(`${repository}:${tag}`, digest),
      signed: false,
      changeableAttributes: CHANGEABLE_ATTRIBUTES
    }
  }

  private async manifestAttributes(repository: string, digest: string) {
    const manifest = await this.backend.getManifest(repository, digest)
    if (!manifest) return undefined
    const tags: string[] = []
    for (const tag of await this.backend.listTags(repository)) {
      if ((await this.backend.headManifest(repository, tag)) === manifest.digest) tags.push(tag)
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
      changeableAttributes: CHANGEABLE_ATTRIBUTES
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
