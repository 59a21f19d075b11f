// The work of one import, as ACR's import service does it server-side: resolve the source (a registry of this
// world by resource ID, reached like a trusted Azure service; or a public host through its front, with the
// request's credentials), refuse to overwrite a different image under NoForce and to write a locked tag (a
// tag whose changeable attribute writeEnabled is false), then copy the image (index, children, blobs) into
// the target's backing registry. An image imported by digest (`repo@sha256:...`, as referrers are) copies that
// manifest only: ACR's import copies nothing that refers to the image (no signature, SBOM, attestation), and
// neither does this one.
import { STATUS_CODES } from 'node:http'
import { DENIED_MESSAGE } from '../../registry/fronts/acr/acr-attributes.js'
import { RegistryError, type AzureHalfContext, type OciClient, type RegistryRuntime } from '../../types.js'
import {
  parseRegistryResourceId,
  parseSourceImage,
  targetTagsOf,
  type ImportRequest
} from './importRequest.js'

/** ACR's limit: "The maximum number of manifests for an imported image is 50." */
const MAX_MANIFESTS = 50

/** Docker Hub's spellings; all reach the Docker Hub front (which, like ACR, adds no `library/`). */
const DOCKER_HUB_ALIASES = ['docker.io', 'registry.hub.docker.com', 'index.docker.io', 'registry-1.docker.io']

export class ImportFailure extends Error {}

interface ResolvedSource {
  client: OciClient
  /** How the failure texts name the source registry. */
  name: string
}

function sourceHost(registryUri: string): string {
  const host = registryUri
    .replace(/^https?:\/\//i, '')
    .replace(/\/+$/, '')
    .toLowerCase()
  return DOCKER_HUB_ALIASES.includes(host) ? 'docker.io' : host
}

function resolveSource(ctx: AzureHalfContext, source: ImportRequest['source']): ResolvedSource {
  if (source.resourceId) {
    const { name } = parseRegistryResourceId(source.resourceId)
    const registry = ctx.registries.get(name.toLowerCase())
    if (!registry) throw new ImportFailure(`Source registry '${source.resourceId}' was not found.`)
    return { client: registry.backend, name: registry.loginServer }
  }
  const host = sourceHost(source.registryUri ?? '')
  const auth = source.credentials
    ? ({
        kind: 'basic',
        username: source.credentials.username ?? '',
        password: source.credentials.password
      } as const)
    : ({ kind: 'anonymous' } as const)
  return { client: ctx.frontClient(host, auth), name: host }
}

/** ACR's wording for an error answer of the source registry: `Invalid message Forbidden Forbidden {"errors":...}`. */
function describeRegistryError(err: RegistryError): string {
  const reason = (STATUS_CODES[err.status] ?? 'Error').replace(/\s+/g, '')
  const errors = JSON.stringify({
    errors: [{ code: err.code ?? reason.toUpperCase(), message: err.message }]
  })
  return `Invalid message ${reason} ${reason} ${errors}`
}

async function sourceCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (err) {
    if (err instanceof RegistryError) throw new ImportFailure(describeRegistryError(err))
    throw err
  }
}

/** Groups `repo:tag`s by repository: one copy per target repository. */
function tagsByRepository(request: ImportRequest): Map<string, string[]> {
  const byRepo = new Map<string, string[]>()
  for (const repoTag of targetTagsOf(request)) {
    const at = repoTag.lastIndexOf(':')
    const repo = repoTag.slice(0, at)
    byRepo.set(repo, [...(byRepo.get(repo) ?? []), repoTag.slice(at + 1)])
  }
  for (const repo of request.untaggedTargetRepositories ?? []) {
    if (!byRepo.has(repo)) byRepo.set(repo, [])
  }
  return byRepo
}

/**
 * Runs the import; throws ImportFailure with the detail ACR reports when it cannot be done. The content (every
 * manifest by digest, every blob) is copied first; the target tags are written last, once `beforeTagging` has
 * resolved (the operation's server-side duration), as ACR writes them at the end of the operation.
 */
export async function runImportJob(
  ctx: AzureHalfContext,
  target: RegistryRuntime,
  request: ImportRequest,
  beforeTagging: () => Promise<void> = () => Promise.resolve()
): Promise<void> {
  const source = resolveSource(ctx, request.source)
  const image = parseSourceImage(request.source.sourceImage)
  const reference = image.digest ?? image.tag ?? 'latest'
  // A GET, not a HEAD: a refusal then carries the registry's error code (DENIED, TOOMANYREQUESTS) in its body.
  const sourceManifest = await sourceCall(() => source.client.getManifest(image.repo, reference))
  const sourceDigest = sourceManifest?.digest
  if (!sourceDigest) {
    const separator = image.digest ? '@' : ':'
    throw new ImportFailure(
      `Image '${image.repo}${separator}${reference}' not found in source registry '${source.name}'.`
    )
  }
  const targets = tagsByRepository(request)
  // A locked target tag fails the import in either mode, with the data plane's DENIED text (the reference
  // notes: "an import onto a locked tag fails with that text"; the rest of ACR's failure message for it is not
  // known). Whether ACR also refuses when the locked tag already holds the same digest is not known either:
  // the test bed refuses, as its front refuses any PUT under a locked tag.
  for (const [repo, tags] of targets) {
    const locked = tags.find((tag) => !target.attributes.tag(repo, tag).writeEnabled)
    if (locked) throw new ImportFailure(`${repo}:${locked} ${DENIED_MESSAGE}`)
  }
  if (request.mode === 'NoForce') {
    for (const [repo, tags] of targets) {
      for (const tag of tags) {
        const existing = await target.backend.headManifest(repo, tag)
        if (existing && existing !== sourceDigest) {
          throw new ImportFailure(`${repo}:${tag} Tag ${repo}:${tag} already exists in target registry.`)
        }
      }
    }
  }
  for (const repo of targets.keys()) {
    try {
      await ctx.copyImage(source.client, image.repo, sourceDigest, target.backend, repo, [], {
        maxManifests: MAX_MANIFESTS
      })
    } catch (err) {
      if (err instanceof RegistryError) throw new ImportFailure(describeRegistryError(err))
      throw new ImportFailure(`Error copying blobs. ${err instanceof Error ? err.message : String(err)}`)
    }
  }
  await beforeTagging()
  for (const [repo, tags] of targets) {
    if (!tags.length) continue
    const manifest = await target.backend.getManifest(repo, sourceDigest)
    if (!manifest) throw new ImportFailure(`Internal error: ${repo}@${sourceDigest} vanished before tagging.`)
    for (const tag of tags) await target.backend.putManifest(repo, tag, manifest.body, manifest.mediaType)
  }
}
