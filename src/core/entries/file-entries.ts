// The images file's entries as requested entries: each field is the entry's own, else the file's `defaults:`,
// else the step's input (force, source-registry, username/password), so the inputs read as defaults of the whole
// step. Credentials named in the file are read from the environment here, before any request.
import { parseRegistryInput } from '../arm/registry-input.js'
import type { SourceCredentials, StepRequest } from '../request/step-request.js'
import { credentialsFromEnvironment, type Environment } from './credentials-by-name.js'
import type { EntryContext } from './entry-context.js'
import { NO_CREDENTIALS, readImagesFile, type EntrySettings, type FileEntry } from './images-file.js'
import { at, type RequestedEntry, type RequestedRegistry } from './requested-entry.js'

export interface FileEntries {
  entries: RequestedEntry[]
  /** Passwords read from the environment: the step registers them as secrets before anything is printed. */
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
  const read = (settings: EntrySettings): SourceCredentials | undefined => {
    const names = settings.credentials?.value
    if (names === undefined || names === NO_CREDENTIALS) return undefined
    const { credentials, secret } = credentialsFromEnvironment(names, env)
    secrets.push(secret)
    return credentials
  }
  // The defaults' variables are read once, and only when an entry uses them: an unused default needs none.
  let defaults: { credentials?: SourceCredentials } | undefined
  const credentialsOf = (entry: FileEntry): SourceCredentials | undefined => {
    if (entry.credentials) return read(entry)
    if (file.defaults.credentials) return (defaults ??= { credentials: read(file.defaults) }).credentials
    return request.credentials
  }
  const defaultRegistry = registry(file.defaults, false, context) ?? stepRegistry(context)
  const entries = file.entries.map((entry): RequestedEntry => ({
    origin: entry.origin,
    source: entry.source,
    targets: entry.targets,
    repositories: entry.repositories,
    force: entry.force ?? file.defaults.force ?? request.force,
    referrers: entry.referrers ?? file.defaults.referrers ?? request.referrers,
    lock: entry.lock ?? file.defaults.lock ?? request.lock,
    sourceRegistry: registry(entry, true, context) ?? defaultRegistry,
    credentials: credentialsOf(entry),
    tags: entry.tags && { where: entry.tags.where, pattern: entry.tags.value }
  }))
  return { entries, secrets }
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
