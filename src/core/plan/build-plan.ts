// Turns the request's sources into planned imports, like `az acr import` decides its ImportSource:
// a source on an ACR the identity can see goes by resource ID (Entra auth, works with public access off),
// a source with a password goes by URI with credentials, anything else by URI.
import type { RegistryInfo } from '../arm/registry-info.js'
import { registryForHost } from '../arm/registry-info.js'
import type { ImportRequest } from '../contract.js'
import { UserError } from '../errors/user-error.js'
import type { ImageReference } from '../reference/image-reference.js'
import {
  parseRepositoryReference,
  parseSourceReference,
  parseTargetTag
} from '../reference/parse-reference.js'
import type { PlannedImport, SourceAccess, SourceCredentials } from './planned-import.js'
import { ARROW, parseSourceLine, type SourceLine } from './source-lines.js'

/** The source registry of `source-registry`, resolved: an ACR we can address by ID (and maybe its login server). */
export type ResolvedSourceRegistry =
  { kind: 'acr'; registry: RegistryInfo } | { kind: 'loginServer'; loginServer: string }

export interface PlanContext {
  target: RegistryInfo
  /** Registries the identity can see, to send same-tenant ACR sources by resource ID. */
  visibleRegistries: RegistryInfo[]
  sourceRegistry?: ResolvedSourceRegistry
}

/** Checks what can be checked without Azure: lines, references, targets, credentials. UserError when wrong. */
export function validateRequest(request: ImportRequest): SourceLine[] {
  const lines = request.sources.map((s) => s.trim()).filter((s) => s.length > 0)
  if (lines.length === 0) {
    throw new UserError(
      'No source was given',
      'set source to an image reference, e.g. docker.io/library/nginx:1.27'
    )
  }
  if (request.username && !request.password) {
    throw new UserError(
      'Authentication failed: a username needs a password',
      'pass the password (or access token) of the source registry too, or drop the username'
    )
  }
  const parsed = lines.map(parseSourceLine)
  const hasArrows = parsed.some((line) => line.targets.length > 0)
  if (parsed.length > 1 && (request.images.length > 0 || request.repositories.length > 0)) {
    throw new UserError(
      'image and repository apply only when there is one source',
      `with several sources, name each one's targets on its line: SOURCE ${ARROW} TARGET[, TARGET...]`
    )
  }
  if (hasArrows && request.images.length > 0) {
    throw new UserError(
      `Targets are named both with ${ARROW} and with image`,
      `use one of them: either SOURCE ${ARROW} TARGET lines or the image input`
    )
  }
  for (const line of parsed) {
    if (request.sourceRegistry) parseRepositoryReference(stripHost(line.source))
    else parseSourceReference(line.source)
    line.targets.forEach((t) => parseTargetTag(stripHost(t)))
  }
  request.images.forEach((t) => parseTargetTag(stripHost(t)))
  request.repositories.forEach((r) => parseTargetTag(r))
  return parsed
}

/** One PlannedImport per source line, in input order. */
export function buildPlan(request: ImportRequest, context: PlanContext): PlannedImport[] {
  const lines = validateRequest(request)
  const credentials: SourceCredentials | undefined = request.password
    ? { username: request.username || undefined, password: request.password }
    : undefined
  const plans = lines.map((line) => planOne(line, request, context, credentials))
  rejectDuplicateTargets(plans)
  return plans
}

function planOne(
  line: SourceLine,
  request: ImportRequest,
  context: PlanContext,
  credentials: SourceCredentials | undefined
): PlannedImport {
  const notices: string[] = []
  const { reference, access } = context.sourceRegistry
    ? planFromSourceRegistry(line.source, context.sourceRegistry, credentials, notices)
    : planFromReference(line.source, context, credentials, notices)
  const written = line.targets.length > 0 ? line.targets : request.images
  const untaggedRepositories = request.repositories.map((r) => parseTargetTag(r).repository)
  const targetTags =
    written.length > 0
      ? written.map((t) => targetTag(t, reference, context.target, notices))
      : untaggedRepositories.length > 0
        ? []
        : [`${reference.repository}:${reference.tag ?? 'latest'}`]
  return {
    written: line.source,
    reference,
    access,
    targetTags: unique(targetTags),
    untaggedRepositories: unique(untaggedRepositories),
    mode: request.force ? 'Force' : 'NoForce',
    notices
  }
}

function planFromReference(
  source: string,
  context: PlanContext,
  credentials: SourceCredentials | undefined,
  notices: string[]
): { reference: ImageReference; access: SourceAccess } {
  const parsed = parseSourceReference(source)
  notices.push(...parsed.notices)
  const reference = parsed.reference
  if (credentials) return { reference, access: { kind: 'registryUri', credentials } }
  const acr = registryForHost(reference.registry, context.visibleRegistries)
  if (acr)
    return {
      reference: { ...reference, registry: acr.loginServer },
      access: { kind: 'resourceId', registry: acr }
    }
  return { reference, access: { kind: 'registryUri' } }
}

function planFromSourceRegistry(
  source: string,
  sourceRegistry: ResolvedSourceRegistry,
  credentials: SourceCredentials | undefined,
  notices: string[]
): { reference: ImageReference; access: SourceAccess } {
  const loginServer =
    sourceRegistry.kind === 'acr' ? sourceRegistry.registry.loginServer : sourceRegistry.loginServer
  let inRegistry = source
  if (source.toLowerCase().startsWith(`${loginServer}/`)) {
    inRegistry = source.slice(loginServer.length + 1)
    notices.push(
      `'${source}': the source registry is given in source-registry, so the image is read as '${inRegistry}'`
    )
  }
  const reference = { registry: loginServer, ...parseRepositoryReference(inRegistry) }
  if (credentials) return { reference, access: { kind: 'registryUri', credentials } }
  if (sourceRegistry.kind === 'acr')
    return { reference, access: { kind: 'resourceId', registry: sourceRegistry.registry } }
  return { reference, access: { kind: 'registryUri' } }
}

/** A target as `repo:tag`: a missing tag becomes the source's tag (ACR's own default, made explicit). */
function targetTag(written: string, source: ImageReference, target: RegistryInfo, notices: string[]): string {
  let text = written.trim()
  if (text.toLowerCase().startsWith(`${target.loginServer}/`)) {
    text = text.slice(target.loginServer.length + 1)
  } else if (stripHost(text) !== text) {
    throw new UserError(
      `Target '${written}' names another registry`,
      `targets are written into ${target.loginServer}; write them as repository[:tag]`
    )
  }
  const { repository, tag } = parseTargetTag(text)
  if (tag) return `${repository}:${tag}`
  const defaulted = source.tag ?? 'latest'
  notices.push(`Target '${written}' has no tag: it gets '${defaulted}'`)
  return `${repository}:${defaulted}`
}

/** Two imports writing the same tag would race; that is never what the user meant. */
function rejectDuplicateTargets(plans: PlannedImport[]): void {
  const seen = new Map<string, string>()
  for (const plan of plans) {
    for (const tag of plan.targetTags) {
      const earlier = seen.get(tag)
      if (earlier !== undefined) {
        throw new UserError(
          `Target '${tag}' is written by both '${earlier}' and '${plan.written}'`,
          'give each source its own targets'
        )
      }
      seen.set(tag, plan.written)
    }
  }
}

/** `text` without a leading registry host (a first component with '.' or ':' or localhost). */
function stripHost(text: string): string {
  const slash = text.indexOf('/')
  if (slash <= 0) return text
  const first = text.slice(0, slash)
  return first.includes('.') || first.includes(':') || first === 'localhost' ? text.slice(slash + 1) : text
}

function unique(values: string[]): string[] {
  return [...new Set(values)]
}
