// The entries stage: turns the request's `source` lines (with `image`, `repository` and `source-registry`) and
// the images file into entries, one batch: lines first, then the file's entries in file order. Reads the file
// and the environment, nothing else: everything a user can get wrong in writing is refused here, before the
// network. With `shard`, the step keeps its stable slice of the whole batch, checked as a whole first.
import { acrNameOf, parseRegistryInput, type RegistryInput } from '../arm/registry-input.js'
import { isHostOf } from '../arm/registry-info.js'
import { referenceHost, registryOf } from './source-registry-of.js'
import { UserError } from '../errors/user-error.js'
import { fullReference, type ImageReference } from '../reference/image-reference.js'
import {
  parseRepositoryReference,
  parseSourceReference,
  parseTargetTag
} from '../reference/parse-reference.js'
import type { StepRequest } from '../request/step-request.js'
import type { Environment } from './credentials-by-name.js'
import type { Entry } from './entry.js'
import type { EntryContext } from './entry-context.js'
import { fileEntries } from './file-entries.js'
import { readTrustPolicyFile } from './trust-policy-file.js'
import { at, type RequestedEntry, type Written } from './requested-entry.js'
import { selectShard, type ShardSlice } from './shard.js'
import { checkStepCredentialsScope } from './step-credentials-scope.js'
import { ARROW, parseSourceLine, type SourceLine } from './source-lines.js'
import type { TagPattern } from '../request/tag-pattern.js'

export interface BuiltEntries {
  /** The entries this step imports: the whole batch, or this shard's slice of it. */
  entries: Entry[]
  /** Values read from the environment (the file's passwords): register them as secrets before printing anything. */
  secrets: string[]
  /** With `shard`: which slice this step kept, of how many entries. */
  shard?: ShardSlice
}

/** The batch's entries, in input order. UserError for anything malformed. */
export function buildEntries(
  request: StepRequest,
  context: EntryContext,
  env: Environment = process.env
): BuiltEntries {
  const lines = request.sourceLines.map(parseSourceLine)
  checkTargetInputs(lines, request)
  // The trust-policy file's verify: applies to the source lines, and to the images file's entries that say nothing.
  const trust = request.trustPolicy ? readTrustPolicyFile(request.trustPolicy) : undefined
  const file = request.imagesFile
    ? fileEntries(request.imagesFile, request, context, env, trust)
    : { entries: [], secrets: [] }
  const requested = [
    ...lines.map((line, i) => ({
      ...requestedByLine(line, i, request, context),
      verify: trust?.verification
    })),
    ...file.entries
  ]
  if (requested.length === 0) {
    throw new UserError('The images file lists no images', 'add entries under images:, or give source lines')
  }
  const all = requested.flatMap((entry) => entriesOf(entry, context))
  rejectDuplicateTargets(all)
  checkStepCredentialsScope(all, request.credentials)
  if (!request.shard) return { entries: all, secrets: file.secrets }
  const { entries, slice } = selectShard(all, request.shard)
  return { entries, secrets: file.secrets, shard: slice }
}

function checkTargetInputs(lines: SourceLine[], request: StepRequest): void {
  const singleTargets = request.images.length > 0 || request.repositories.length > 0
  if ((lines.length > 1 || request.imagesFile) && singleTargets) {
    throw new UserError(
      'image and repository apply only when there is one source',
      `with several sources, name each one's targets on its line: SOURCE ${ARROW} TARGET[, TARGET...], or under targets: in the images file`
    )
  }
  if (lines.some((line) => line.targets.length > 0) && singleTargets) {
    throw new UserError(
      `Targets are named both with ${ARROW} and with ${request.images.length > 0 ? 'image' : 'repository'}`,
      `use one of them: either SOURCE ${ARROW} TARGET lines or the image and repository inputs`
    )
  }
}

/** A source line with the step's inputs; its messages quote the line, so they need no place in front. */
function requestedByLine(
  line: SourceLine,
  index: number,
  request: StepRequest,
  context: EntryContext
): RequestedEntry {
  const written = (value: string): Written => ({ value })
  return {
    origin: `source line ${index + 1}`,
    source: written(line.source),
    targets: (line.targets.length > 0 ? line.targets : request.images).map(written),
    repositories: request.repositories.map(written),
    force: request.force,
    referrers: request.referrers,
    lock: request.lock,
    sourceRegistry: context.sourceRegistry && { input: context.sourceRegistry, strict: true },
    credentials: request.credentials,
    // The tags input applies to the lines written without a tag: a line with one still imports that image.
    tags: request.tags && !writesTagOrDigest(line.source) ? { pattern: request.tags } : undefined
  }
}

/**
 * One entry per target registry: targets without a login server (and an entry without targets) go to the step's
 * `registry`; a target that starts with another ACR's login server of the step's cloud goes there.
 */
function entriesOf(requested: RequestedEntry, context: EntryContext): Entry[] {
  const groups = new Map<string, { registry: RegistryInput; targets: Written[]; repositories: Written[] }>()
  const groupOf = (written: Written) => {
    const registry = at(written.where, () => targetRegistryOf(written.value, context))
    const group = groups.get(registry.loginServer) ?? { registry, targets: [], repositories: [] }
    groups.set(registry.loginServer, group)
    return group
  }
  for (const target of requested.targets) groupOf(target).targets.push(target)
  for (const repository of requested.repositories) groupOf(repository).repositories.push(repository)
  if (groups.size === 0) return [entryOf(requested, context.target)]
  return [...groups.values()].map(({ registry, targets, repositories }) => {
    const entry = entryOf({ ...requested, targets, repositories }, registry)
    return registry === context.target ? entry : { ...entry, targetRegistry: registry }
  })
}

function entryOf(requested: RequestedEntry, target: RegistryInput): Entry {
  if (requested.tags) return patternEntryOf(requested, requested.tags.pattern, target)
  const notices: string[] = []
  const { source } = requested
  const sourceRegistry = registryOf(requested)
  const reference = sourceReference(requested, sourceRegistry, notices)
  const untaggedRepositories = requested.repositories.map((r) =>
    at(r.where, () => untaggedRepository(r.value, target))
  )
  const targetTags =
    requested.targets.length > 0
      ? requested.targets.map((t) => at(t.where, () => targetTag(t.value, reference, target)))
      : untaggedRepositories.length > 0
        ? []
        : [`${reference.repository}:${reference.tag ?? 'latest'}`]
  return {
    written: source.value,
    origin: requested.origin,
    reference,
    sourceRegistry,
    targetTags: unique(targetTags),
    untaggedRepositories: unique(untaggedRepositories),
    force: requested.force,
    referrers: requested.referrers,
    lock: requested.lock,
    credentials: requested.credentials,
    verify: requested.verify,
    notices
  }
}

/**
 * An entry that mirrors the tags of a repository: the source names the repository only, the targets are
 * repositories (default: the source's), and which tags go there is decided after listing them.
 */
function patternEntryOf(requested: RequestedEntry, pattern: TagPattern, target: RegistryInput): Entry {
  const { source } = requested
  const where = source.where ?? requested.origin
  if (writesTagOrDigest(source.value)) {
    throw new UserError(
      `${where}: source '${source.value}' has a tag or digest, but tags chooses the tags`,
      `write the source as a repository (e.g. ${source.value.replace(/[:@][^/]*$/, '')}), or drop tags to import that one image`
    )
  }
  if (requested.repositories.length > 0) {
    throw new UserError(
      `${where}: repositories do not apply with tags`,
      'name the target repositories under targets (each matching tag is written there)'
    )
  }
  const notices: string[] = []
  const sourceRegistry = registryOf(requested)
  const withLatest = sourceReference(requested, sourceRegistry, notices)
  // The parser defaults a missing tag to latest; a pattern entry has no tag of its own until its tags are listed.
  const reference = { ...withLatest, tag: undefined }
  const targetRepositories = requested.targets.map((t) =>
    at(t.where, () => {
      const { repository, tag } = parseTargetTag(inTarget(t.value, target))
      if (tag) {
        throw new UserError(
          `Target '${t.value}' has a tag, but with tags the targets are repositories`,
          `write the target repository only (e.g. ${repository}): each matching tag keeps its name there`
        )
      }
      return repository
    })
  )
  return {
    written: source.value,
    origin: requested.origin,
    reference,
    sourceRegistry,
    targetTags: [],
    untaggedRepositories: [],
    force: requested.force,
    referrers: requested.referrers,
    lock: requested.lock,
    credentials: requested.credentials,
    verify: requested.verify,
    notices: notices.map((n) => n.replaceAll(fullReference(withLatest), fullReference(reference))),
    tagPattern: {
      pattern,
      targetRepositories: unique(targetRepositories.length > 0 ? targetRepositories : [reference.repository])
    }
  }
}

/** A tag or digest written after the repository (the last path component holds ':' or '@'). */
function writesTagOrDigest(source: string): boolean {
  const last = source.trim().slice(source.trim().lastIndexOf('/') + 1)
  return last.includes(':') || last.includes('@')
}

function sourceReference(
  requested: RequestedEntry,
  sourceRegistry: RegistryInput | undefined,
  notices: string[]
): ImageReference {
  const { source } = requested
  return at(source.where, () => {
    if (sourceRegistry?.kind === 'resourceId' && requested.credentials) {
      throw new UserError(
        'A source registry given by resource ID is read with your Entra identity, so username/password do not apply',
        'give source-registry as its login server to use the credentials, or drop them'
      )
    }
    return sourceRegistry
      ? inSourceRegistry(source.value, sourceRegistry, notices)
      : fromReference(source.value, notices)
  })
}

function fromReference(source: string, notices: string[]): ImageReference {
  const parsed = parseSourceReference(source)
  notices.push(...parsed.notices)
  return parsed.reference
}

/** With source-registry, a source is `repo[:tag|@digest]` in it; its own login server in front is tolerated. */
function inSourceRegistry(source: string, registry: RegistryInput, notices: string[]): ImageReference {
  const host = referenceHost(source)
  if (!host) return { registry: registry.loginServer, ...parseRepositoryReference(source) }
  if (!isHostOf(host, registry.loginServer)) {
    throw new UserError(
      `Source '${source}' names the registry ${host}, but source-registry is ${registry.text}`,
      'with source-registry, write source as repository[:tag] or repository@sha256:<digest> in that registry'
    )
  }
  const inRegistry = source.slice(host.length + 1)
  notices.push(
    `'${source}': the source registry is given in source-registry, so the image is read as '${inRegistry}'`
  )
  return { registry: registry.loginServer, ...parseRepositoryReference(inRegistry) }
}

/**
 * A target as `repo:tag`: a missing tag becomes the source's tag (ACR's own default, made explicit). That is
 * documented behaviour, not a notice: the plan's line in the log names every target with its tag.
 */
function targetTag(written: string, source: ImageReference, target: RegistryInput): string {
  const { repository, tag } = parseTargetTag(inTarget(written, target))
  return `${repository}:${tag ?? source.tag ?? 'latest'}`
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

/**
 * The registry a target is written into: the step's `registry`, unless the target starts with the login server
 * of another ACR of the step's cloud. Any other host is a mistake: ACR imports only into ACR.
 */
function targetRegistryOf(written: string, context: EntryContext): RegistryInput {
  const host = hostOf(written)
  if (!host || host === context.target.loginServer) return context.target
  if (acrNameOf(host, context.acrLoginSuffix) === undefined) {
    throw new UserError(
      `Target '${written}' names ${host}, which is not an Azure Container Registry of this cloud`,
      `write repository[:tag] to import into ${context.target.loginServer}, or <name>${context.acrLoginSuffix}/repository[:tag] for another registry`
    )
  }
  return parseRegistryInput(host, 'target', context.acrLoginSuffix)
}

/** The lower-case host a target starts with, if it names one. */
function hostOf(written: string): string | undefined {
  return referenceHost(written.trim())?.toLowerCase()
}

/** `written` without its registry's login server in front (the entries stage grouped targets by it). */
function inTarget(written: string, target: RegistryInput): string {
  const text = written.trim()
  return hostOf(text) === target.loginServer ? text.slice(text.indexOf('/') + 1) : text
}

/** Two imports writing the same tag would race; that is never what the user meant. */
function rejectDuplicateTargets(entries: Entry[]): void {
  const seen = new Map<string, Entry>()
  for (const entry of entries) {
    const registry = entry.targetRegistry ? `${entry.targetRegistry.loginServer}/` : ''
    for (const tag of entry.targetTags.map((t) => `${registry}${t}`)) {
      const earlier = seen.get(tag)
      if (earlier !== undefined) {
        throw new UserError(
          `Target '${tag}' is written by both ${earlier.origin} (${earlier.written}) and ${entry.origin} (${entry.written})`,
          'give each source its own targets'
        )
      }
      seen.set(tag, entry)
    }
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)]
}
