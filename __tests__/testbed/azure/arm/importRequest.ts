// Strict validation of the importImage body (ImportImageParameters, 2025-11-01): known properties only, one of
// resourceId/registryUri, sourceImage required and not both tag and digest, password required with credentials,
// mode NoForce|Force. A bad body is ARM's 400 InvalidParameter, before any operation starts.
import { invalidParameter } from './errors.js'

export interface ImageReference {
  repo: string
  tag?: string
  digest?: string
}

export interface ImportRequest {
  source: {
    resourceId?: string
    registryUri?: string
    credentials?: { username?: string; password: string }
    sourceImage: string
  }
  targetTags?: string[]
  untaggedTargetRepositories?: string[]
  mode: 'NoForce' | 'Force'
}

const REPOSITORY = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*'
const TAG = '[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}'
const DIGEST = 'sha256:[a-f0-9]{64}'
const SOURCE_IMAGE = new RegExp(`^(${REPOSITORY})(?::(${TAG}))?(?:@(${DIGEST}))?$`)
const TARGET_TAG = new RegExp(`^(${REPOSITORY})(?::(${TAG}))?$`)
const REPOSITORY_ONLY = new RegExp(`^${REPOSITORY}$`)

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v)

function onlyKnownProperties(value: Record<string, unknown>, known: string[], path: string): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw invalidParameter(`The property '${path}${key}' is not a known property of the import request.`)
    }
  }
}

function optionalString(value: unknown, path: string): string | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string') throw invalidParameter(`The value of '${path}' must be a string.`)
  return value
}

function stringList(value: unknown, path: string, pattern: RegExp): string[] | undefined {
  if (value === undefined || value === null) return undefined
  if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string')) {
    throw invalidParameter(`The value of '${path}' must be an array of strings.`)
  }
  for (const item of value) {
    if (!pattern.test(item))
      throw invalidParameter(`The value '${item}' of '${path}' is not a valid repository[:tag].`)
  }
  return value
}

/** Splits `repo[:tag][@digest]`; rejects a reference that has both, as ACR does. */
export function parseSourceImage(sourceImage: string): ImageReference {
  const match = SOURCE_IMAGE.exec(sourceImage)
  if (!match) {
    throw invalidParameter(
      `The source image '${sourceImage}' is invalid. Specify an image as 'repository', 'repository:tag' or 'repository@sha256:<digest>'.`
    )
  }
  const [, repo, tag, digest] = match
  if (tag && digest) {
    throw invalidParameter(
      `The source image '${sourceImage}' specifies both a tag and a digest. Specify either 'repository:tag' or 'repository@digest'.`
    )
  }
  return { repo, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) }
}

export function parseImportRequest(body: Buffer): ImportRequest {
  let parsed: unknown
  try {
    parsed = JSON.parse(body.toString('utf8'))
  } catch {
    throw invalidParameter('The request content was invalid and could not be deserialized.')
  }
  if (!isObject(parsed))
    throw invalidParameter('The request content was invalid and could not be deserialized.')
  onlyKnownProperties(parsed, ['source', 'targetTags', 'untaggedTargetRepositories', 'mode'], '')
  const source = parsed.source
  if (!isObject(source)) throw invalidParameter("The required property 'source' is missing.")
  onlyKnownProperties(source, ['resourceId', 'registryUri', 'credentials', 'sourceImage'], 'source.')
  const resourceId = optionalString(source.resourceId, 'source.resourceId')
  const registryUri = optionalString(source.registryUri, 'source.registryUri')
  if (resourceId && registryUri) {
    throw invalidParameter("Only one of 'source.resourceId' and 'source.registryUri' may be specified.")
  }
  if (!resourceId && !registryUri) {
    throw invalidParameter("One of 'source.resourceId' or 'source.registryUri' must be specified.")
  }
  const sourceImage = optionalString(source.sourceImage, 'source.sourceImage')
  if (!sourceImage) throw invalidParameter("The required property 'source.sourceImage' is missing.")
  parseSourceImage(sourceImage)
  let credentials: ImportRequest['source']['credentials']
  if (source.credentials !== undefined && source.credentials !== null) {
    if (!isObject(source.credentials))
      throw invalidParameter("The value of 'source.credentials' must be an object.")
    onlyKnownProperties(source.credentials, ['username', 'password'], 'source.credentials.')
    const username = optionalString(source.credentials.username, 'source.credentials.username')
    const password = optionalString(source.credentials.password, 'source.credentials.password')
    if (!password) throw invalidParameter("The required property 'source.credentials.password' is missing.")
    credentials = { ...(username !== undefined ? { username } : {}), password }
  }
  const mode = parsed.mode ?? 'NoForce'
  if (mode !== 'NoForce' && mode !== 'Force') {
    throw invalidParameter(
      `The value '${String(mode)}' of 'mode' is not valid. Allowed values are 'NoForce' and 'Force'.`
    )
  }
  const targetTags = stringList(parsed.targetTags, 'targetTags', TARGET_TAG)
  const untaggedTargetRepositories = stringList(
    parsed.untaggedTargetRepositories,
    'untaggedTargetRepositories',
    REPOSITORY_ONLY
  )
  return {
    source: {
      ...(resourceId ? { resourceId } : {}),
      ...(registryUri ? { registryUri } : {}),
      ...(credentials ? { credentials } : {}),
      sourceImage
    },
    ...(targetTags ? { targetTags } : {}),
    ...(untaggedTargetRepositories ? { untaggedTargetRepositories } : {}),
    mode
  }
}

/** The target `repo:tag`s: as given (a bare repo takes the source tag or 'latest'), else the source's own. */
export function targetTagsOf(request: ImportRequest): string[] {
  const source = parseSourceImage(request.source.sourceImage)
  const sourceTag = source.tag ?? 'latest'
  if (request.targetTags) return request.targetTags.map((t) => (t.includes(':') ? t : `${t}:${sourceTag}`))
  if (request.untaggedTargetRepositories?.length) return []
  return [`${source.repo}:${sourceTag}`]
}

const RESOURCE_ID =
  /^\/subscriptions\/([0-9a-f-]{36})\/resourceGroups\/([-\w._()]+)\/providers\/Microsoft\.ContainerRegistry\/registries\/([a-zA-Z0-9]+)$/i

/** Parses a source registry resource ID, with the message ARM gives for a malformed one. */
export function parseRegistryResourceId(resourceId: string): {
  subscriptionId: string
  resourceGroup: string
  name: string
} {
  const match = RESOURCE_ID.exec(resourceId)
  if (!match) {
    throw invalidParameter(
      `source.resourceId is invalid, it should be in form of '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ContainerRegistry/registries/{registryName}'.`
    )
  }
  return { subscriptionId: match[1], resourceGroup: match[2], name: match[3] }
}
