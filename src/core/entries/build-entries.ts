// The entries stage: turns the request's `source` lines (with `image`, `repository` and `source-registry`) into
// entries. Pure: everything a user can get wrong in writing is refused here, before the network.
import type { RegistryInput } from '../arm/registry-input.js'
import { UserError } from '../errors/user-error.js'
import type { ImageReference } from '../reference/image-reference.js'
import {
  looksLikeHost,
  parseRepositoryReference,
  parseSourceReference,
  parseTargetTag
} from '../reference/parse-reference.js'
import { isHostOf } from '../arm/registry-input.js'
import type { StepRequest } from '../request/step-request.js'
import type { Entry } from './entry.js'
import { ARROW, parseSourceLine, type SourceLine } from './source-lines.js'

export interface EntryContext {
  /** The target registry as named in `registry`; targets may repeat its login server. */
  target: RegistryInput
  /** `source-registry`, when given. */
  sourceRegistry?: RegistryInput
}

/** One entry per `source` line, in input order. UserError for anything malformed. */
export function buildEntries(request: StepRequest, context: EntryContext): Entry[] {
  if (context.sourceRegistry?.kind === 'resourceId' && request.credentials) {
    throw new UserError(
      'A source registry given by resource ID is read with your Entra identity, so username/password do not apply',
      'give source-registry as its login server to use the credentials, or drop them'
    )
  }
  const lines = request.sourceLines.map(parseSourceLine)
  checkTargetInputs(lines, request)
  const entries = lines.map((line) => entryOf(line, request, context))
  rejectDuplicateTargets(entries)
  return entries
}

function checkTargetInputs(lines: SourceLine[], request: StepRequest): void {
  const singleTargets = request.images.length > 0 || request.repositories.length > 0
  if (lines.length > 1 && singleTargets) {
    throw new UserError(
      'image and repository apply only when there is one source',
      `with several sources, name each one's targets on its line: SOURCE ${ARROW} TARGET[, TARGET...]`
    )
  }
  if (lines.some((line) => line.targets.length > 0) && singleTargets) {
    throw new UserError(
      `Targets are named both with ${ARROW} and with ${request.images.length > 0 ? 'image' : 'repository'}`,
      `use one of them: either SOURCE ${ARROW} TARGET lines or the image and repository inputs`
    )
  }
}

function entryOf(line: SourceLine, request: StepRequest, context: EntryContext): Entry {
  const notices: string[] = []
  const reference = context.sourceRegistry
    ? inSourceRegistry(line.source, context.sourceRegistry, notices)
    : fromReference(line.source, notices)
  const written = line.targets.length > 0 ? line.targets : request.images
  const untaggedRepositories = request.repositories.map((r) => untaggedRepository(r, context.target))
  const targetTags =
    written.length > 0
      ? written.map((t) => targetTag(t, reference, context.target, notices))
      : untaggedRepositories.length > 0
        ? []
        : [`${reference.repository}:${reference.tag ?? 'latest'}`]
  return {
    written: line.source,
    reference,
    sourceRegistry: context.sourceRegistry?.text,
    targetTags: unique(targetTags),
    untaggedRepositories: unique(untaggedRepositories),
    force: request.force,
    credentials: request.credentials,
    notices
  }
}

function fromReference(source: string, notices: string[]): ImageReference {
  const parsed = parseSourceReference(source)
  notices.push(...parsed.notices)
  return parsed.reference
}

/** With source-registry, a source is `repo[:tag|@digest]` in it; its own login server in front is tolerated. */
function inSourceRegistry(source: string, registry: RegistryInput, notices: string[]): ImageReference {
  let inRegistry = source
  const slash = source.indexOf('/')
  const host = slash > 0 ? source.slice(0, slash) : ''
  if (host && looksLikeHost(host)) {
    if (!isHostOf(host, registry.loginServer)) {
      throw new UserError(
        `Source '${source}' names the registry ${host}, but source-registry is ${registry.text}`,
        'with source-registry, write source as repository[:tag] or repository@sha256:<digest> in that registry'
      )
    }
    inRegistry = source.slice(slash + 1)
    notices.push(
      `'${source}': the source registry is given in source-registry, so the image is read as '${inRegistry}'`
    )
  }
  return { registry: registry.loginServer, ...parseRepositoryReference(inRegistry) }
}

/** A target as `repo:tag`: a missing tag becomes the source's tag (ACR's own default, made explicit). */
function targetTag(
  written: string,
  source: ImageReference,
  target: RegistryInput,
  notices: string[]
): string {
  const { repository, tag } = parseTargetTag(inTarget(written, target))
  if (tag) return `${repository}:${tag}`
  const defaulted = source.tag ?? 'latest'
  notices.push(`Target '${written}' has no tag: it gets '${defaulted}'`)
  return `${repository}:${defaulted}`
}

function untaggedRepository(written: string, target: RegistryInput): string {
  const { repository, tag } = parseTargetTag(inTarget(written, target))
  if (tag) {
    throw new UserError(
      `Repository '${written}' has a tag`,
      'repository takes untagged repository names; name tagged targets with image (or SOURCE => TARGET)'
    )
  }
  return repository
}

/** `written` without the target's login server in front; another registry's host is an error. */
function inTarget(written: string, target: RegistryInput): string {
  const text = written.trim()
  const slash = text.indexOf('/')
  const host = slash > 0 ? text.slice(0, slash) : ''
  if (!host || !looksLikeHost(host)) return text
  if (host.toLowerCase() === target.loginServer) return text.slice(slash + 1)
  throw new UserError(
    `Target '${written}' names another registry`,
    `targets are written into ${target.loginServer}; write them as repository[:tag]`
  )
}

/** Two imports writing the same tag would race; that is never what the user meant. */
function rejectDuplicateTargets(entries: Entry[]): void {
  const seen = new Map<string, string>()
  for (const entry of entries) {
    for (const tag of entry.targetTags) {
      const earlier = seen.get(tag)
      if (earlier !== undefined) {
        throw new UserError(
          `Target '${tag}' is written by both '${earlier}' and '${entry.written}'`,
          'give each source its own targets'
        )
      }
      seen.set(tag, entry.written)
    }
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)]
}
