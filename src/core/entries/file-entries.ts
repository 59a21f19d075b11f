// The images file's entries as requested entries: each field is the entry's own, else the file's `defaults:`,
// else the step's input (force, source-registry, username/password), so the inputs read as defaults of the whole
// step. Credentials named in the file are read from the environment here, before any request, and only for the
// registry they belong to: an entry's own go to its source alone (a `registry:` in them must be its source's);
// the defaults' go to the entries of the registry they name (unnamed, to one registry only); the step's, with a
// step source-registry, to the entries in that registry only.
import { parseRegistryInput } from '../arm/registry-input.js'
import { UserError } from '../errors/user-error.js'
import type { SourceCredentials, StepRequest } from '../request/step-request.js'
import { credentialsFromEnvironment, type Environment } from './credentials-by-name.js'
import type { EntryContext } from './entry-context.js'
import {
  NO_CREDENTIALS,
  readImagesFile,
  type CredentialNames,
  type EntrySettings,
  type FileEntry
} from './images-file.js'
import { at, type RequestedEntry, type RequestedRegistry } from './requested-entry.js'
import { isSameRegistry, sourceHostOf } from './source-registry-of.js'
import type { Located } from './yaml-fields.js'

export interface FileEntries {
  entries: RequestedEntry[]
  /** Values read from the environment: the step registers them as secrets before anything is printed. */
  secrets: string[]
}

export function fileEntries(
  path: string,
  request: StepRequest,
  context: EntryContext,
  env: Environment
): FileEntries {
  const file = readImagesFile(path)
  const secrets: string[] = []
  const read = (names: CredentialNames): SourceCredentials => {
    const { credentials, secrets: values } = credentialsFromEnvironment(names, env)
    secrets.push(...values)
    return credentials
  }
  // The defaults' variables are read once, and only when an entry uses them: an unused default needs none.
  let defaults: SourceCredentials | undefined
  /** The registries the defaults' credentials went to, when they name none: one at most. */
  const unnamedDefaultsUsers = new Map<string, string>()
  const credentialsOf = (entry: FileEntry, host: string): SourceCredentials | undefined => {
    const own = entry.credentials?.value
    if (own === NO_CREDENTIALS) return undefined
    if (own) {
      if (own.registry && !isSameRegistry(own.registry.value, host)) throw otherRegistry(own.registry, host)
      return read(own)
    }
    const shared = file.defaults.credentials?.value
    if (shared === NO_CREDENTIALS) return undefined
    if (shared && (!shared.registry || isSameRegistry(shared.registry.value, host))) {
      if (!shared.registry && !unnamedDefaultsUsers.has(host)) unnamedDefaultsUsers.set(host, entry.origin)
      return (defaults ??= read(shared))
    }
    // The step's credentials with a step source-registry are that registry's.
    const scoped = context.sourceRegistry
    return scoped && !isSameRegistry(scoped.loginServer, host) ? undefined : request.credentials
  }
  const defaultRegistry = registry(file.defaults, false, context) ?? stepRegistry(context)
  const entries = file.entries.map((entry): RequestedEntry => {
    const requested = {
      source: entry.source,
      sourceRegistry: registry(entry, true, context) ?? defaultRegistry
    }
    const host = at(entry.source.where, () => sourceHostOf(requested))
    return {
      ...requested,
      origin: entry.origin,
      targets: entry.targets,
      repositories: entry.repositories,
      force: entry.force ?? file.defaults.force ?? request.force,
      referrers: entry.referrers ?? file.defaults.referrers ?? request.referrers,
      lock: entry.lock ?? file.defaults.lock ?? request.lock,
      credentials: credentialsOf(entry, host),
      tags: entry.tags && { where: entry.tags.where, pattern: entry.tags.value }
    }
  })
  if (unnamedDefaultsUsers.size > 1)
    throw unnamedDefaults(file.defaults.credentials!.where, unnamedDefaultsUsers)
  return { entries, secrets }
}

function otherRegistry(named: Located<string>, host: string): UserError {
  return new UserError(
    `${named.where}: these credentials are for ${named.value}, but the entry's source is on ${host}`,
    "credentials go to their own registry only: correct registry:, or give the entry the credentials of its source's registry (or none)"
  )
}

function unnamedDefaults(where: string, users: Map<string, string>): UserError {
  const registries = [...users].map(([host, origin]) => `${host} (${origin})`).join(', ')
  return new UserError(
    `${where}: the credentials under defaults: name no registry, but entries on several registries would use them: ${registries}`,
    'credentials go to one registry: name it inside them, e.g. credentials: { registry: docker.io, password-env: DOCKERHUB_TOKEN }, and give the other entries credentials of their own (or none)'
  )
}

function registry(
  settings: EntrySettings,
  strict: boolean,
  context: EntryContext
): RequestedRegistry | undefined {
  const written = settings.sourceRegistry
  if (!written) return undefined
  const input = at(written.where, () => parseRegistryInput(written.value, 'source', context.acrLoginSuffix))
  return { input, strict }
}

function stepRegistry(context: EntryContext): RequestedRegistry | undefined {
  return context.sourceRegistry && { input: context.sourceRegistry, strict: false }
}
