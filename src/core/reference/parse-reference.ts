// Parses source references like `az acr import --source` does (split at the first '/', the part before it is
// the registry when it looks like a host), plus what `docker pull` users expect: `nginx` and `user/repo` are
// Docker Hub images, and Docker Hub's official images live under library/ (ACR import does not add it).
import { UserError } from '../errors/user-error.js'
import { digestProblem, repositoryProblem, tagProblem } from './grammar.js'
import { fullReference, type ImageReference } from './image-reference.js'

export const DOCKER_HUB = 'docker.io'
const DOCKER_HUB_ALIASES = ['index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']
const DEFAULT_TAG = 'latest'
const BOTH_TAG_AND_DIGEST =
  'it names both a tag and a digest (import takes one: the digest pins, the tag follows)'

export interface ParsedSource {
  reference: ImageReference
  /** What we assumed or changed, for log.notice (Docker shorthand, pinned digest). */
  notices: string[]
}

/** Parses a full source reference (`[host/]repo[:tag][@sha256:...]`). Malformed -> UserError. */
export function parseSourceReference(text: string): ParsedSource {
  const input = text.trim()
  if (!input) throw malformed(text, 'it is empty')
  if (/\s/.test(input)) throw malformed(input, 'it contains white space')
  const notices: string[] = []
  const slash = input.indexOf('/')
  if (slash === 0) throw malformed(input, 'it starts with "/"')
  const first = slash > 0 ? input.slice(0, slash) : ''
  const shorthand = !(slash > 0 && looksLikeHost(first))
  const registry = shorthand ? DOCKER_HUB : canonicalHost(first)
  const rest = shorthand ? input : input.slice(slash + 1)
  if (!rest) throw malformed(input, 'there is nothing after the registry host')
  const parts = parseRepositoryParts(input, rest)
  // Docker Hub keeps official images under library/; docker adds it silently, ACR import does not.
  const repository =
    registry === DOCKER_HUB && !parts.repository.includes('/')
      ? `library/${parts.repository}`
      : parts.repository
  const tag = parts.tag ?? (parts.digest ? undefined : DEFAULT_TAG)
  const reference: ImageReference = { registry, repository, tag, digest: parts.digest }
  if (shorthand) notices.push(`'${input}' is read as the Docker Hub image ${fullReference(reference)}`)
  // ACR import takes one or the other; which one the user meant cannot be guessed.
  if (parts.tag && parts.digest) {
    throw malformed(input, BOTH_TAG_AND_DIGEST)
  }
  return { reference, notices }
}

/** Parses `repo[:tag][@sha256:...]` inside a known registry (source-registry sources). */
export function parseRepositoryReference(text: string): Omit<ImageReference, 'registry'> {
  const input = text.trim()
  if (!input) throw malformed(text, 'it is empty')
  if (/\s/.test(input)) throw malformed(input, 'it contains white space')
  const { repository, tag, digest } = parseRepositoryParts(input, input)
  if (tag && digest) throw malformed(input, BOTH_TAG_AND_DIGEST)
  return { repository, tag: tag ?? (digest ? undefined : DEFAULT_TAG), digest }
}

/** Parses a target `repo[:tag]` (no digest, no host); the tag stays undefined when not given. */
export function parseTargetTag(text: string): { repository: string; tag?: string } {
  const input = text.trim()
  if (!input) throw malformedTarget(text, 'it is empty')
  if (input.includes('@')) throw malformedTarget(input, 'a target is repo[:tag], it cannot have a digest')
  const { repository, tag, problem } = splitTag(input)
  if (problem) throw malformedTarget(input, problem)
  return { repository, tag }
}

function parseRepositoryParts(
  input: string,
  rest: string
): { repository: string; tag?: string; digest?: string } {
  const at = rest.indexOf('@')
  const named = at >= 0 ? rest.slice(0, at) : rest
  const digest = at >= 0 ? rest.slice(at + 1) : undefined
  if (digest !== undefined) {
    const problem = digestProblem(digest)
    if (problem) throw malformed(input, problem)
  }
  const { repository, tag, problem } = splitTag(named)
  if (problem) throw malformed(input, problem)
  return { repository, tag, digest }
}

/** Splits `repo[:tag]` (a ':' after the last '/' starts the tag) and says what is wrong with either part. */
function splitTag(named: string): { repository: string; tag?: string; problem?: string } {
  const colon = named.lastIndexOf(':')
  const hasTag = colon > named.lastIndexOf('/')
  const repository = hasTag ? named.slice(0, colon) : named
  const tag = hasTag ? named.slice(colon + 1) : undefined
  return {
    repository,
    tag,
    problem: repositoryProblem(repository) ?? (tag !== undefined ? tagProblem(tag) : undefined)
  }
}

/** The distribution rule: a first component with '.' or ':' (or localhost) is a registry host. */
export function looksLikeHost(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost'
}

function canonicalHost(host: string): string {
  const lower = host.toLowerCase()
  return DOCKER_HUB_ALIASES.includes(lower) ? DOCKER_HUB : lower
}

function malformed(reference: string, problem: string): UserError {
  return new UserError(
    `Malformed source reference '${reference}': ${problem}`,
    'write it as [registry/]repository[:tag] or [registry/]repository@sha256:<64 hex>, e.g. mcr.microsoft.com/dotnet/runtime:8.0'
  )
}

function malformedTarget(reference: string, problem: string): UserError {
  return new UserError(
    `Malformed target '${reference}': ${problem}`,
    'write targets as repository[:tag], e.g. base/node:22-alpine'
  )
}
