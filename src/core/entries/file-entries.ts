// The images file's entries as requested entries: each field is the entry's own, else the file's `defaults:`,
// else the step's input (force, source-registry, username/password), so the inputs read as defaults of the whole
// step. Credentials named in the file are read from the environment here, before any request, and only for the
// registry they belong to: an entry's own go to its source alone (a `registry:` in them must be its source's);
// the defaults' go to the entries of the registry they name (unnamed, to one registry only); the step's, with a
// step source-registry, to the entries in that registry only. What each entry verifies with is resolved the same
// way (trust-policy-choice), the `trust-policy` file's `verify:` standing for the step's input.
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
import {
  checkDefaultModeUsed,
  checkEveryPolicyChosen,
  mergeBooks,
  VerificationChooser
} from './trust-policy-choice.js'
import type { StepTrust } from './trust-policy-file.js'
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
  env: Environment,
  stepTrust?: StepTrust
): FileEntries {
  const file = readImagesFile(path)
  const verification = new VerificationChooser(
    { book: mergeBooks(file.trust, stepTrust?.book), stepDefault: stepTrust?.verification },
    file.defaults
  )
  const defaultRegistry = registry(file.defaults, false, context) ?? stepRegistry(context)
  // First where each entry's credentials come from, then, that checked, their variables are read: a step whose
  // credentials would go to the wrong registries is refused for that, whatever its environment holds.
  const planned = file.entries.map((entry) => {
    const requested = {
      source: entry.source,
      sourceRegistry: registry(entry, true, context) ?? defaultRegistry
    }
    const host = at(entry.source.where, () => sourceHostOf(requested))
    return { entry, requested, host, names: credentialsFor(entry, host, file.defaults, context) }
  })
  checkUnnamedDefaults(planned, file.defaults)
  const secrets: string[] = []
  // Each block of names is read once (the defaults' for every entry that uses them), and only when used.
  const read = new Map<CredentialNames, SourceCredentials>()
  const credentialsOf = (names: CredentialNames | typeof STEP | undefined): SourceCredentials | undefined => {
    if (names === STEP) return request.credentials
    if (!names) return undefined
    if (!read.has(names)) {
      const { credentials, secrets: values } = credentialsFromEnvironment(names, env)
      secrets.push(...values)
      read.set(names, credentials)
    }
    return read.get(names)
  }
  const entries = planned.map(({ entry, requested, names }): RequestedEntry => ({
    ...requested,
    origin: entry.origin,
    targets: entry.targets,
    repositories: entry.repositories,
    force: entry.force ?? file.defaults.force ?? request.force,
    referrers: entry.referrers ?? file.defaults.referrers ?? request.referrers,
    lock: entry.lock ?? file.defaults.lock ?? request.lock,
    credentials: credentialsOf(names),
    tags: entry.tags && { where: entry.tags.where, pattern: entry.tags.value },
    verify: verification.of(entry)
  }))
  // After each verify: found its names: a misspelt name is reported as such, not as a policy nothing chooses.
  checkEveryPolicyChosen(file.trust, [file.defaults.verify, ...file.entries.map((entry) => entry.verify)])
  checkDefaultModeUsed(
    file.defaults,
    entries.some((entry, i) => entry.verify && !file.entries[i].verifyMode)
  )
  return { entries, secrets }
}

/** The step's username/password, as opposed to names in the file. */
const STEP = 'step'

/** Whose credentials an entry on `host` gets: its own, the defaults', the step's (STEP), or none (undefined). */
function credentialsFor(
  entry: FileEntry,
  host: string,
  defaults: EntrySettings,
  context: EntryContext
): CredentialNames | typeof STEP | undefined {
  const own = entry.credentials?.value
  if (own === NO_CREDENTIALS) return undefined
  if (own) {
    if (own.registry && !isSameRegistry(own.registry.value, host)) throw otherRegistry(own.registry, host)
    return own
  }
  const shared = defaults.credentials?.value
  if (shared === NO_CREDENTIALS) return undefined
  if (shared && (!shared.registry || isSameRegistry(shared.registry.value, host))) return shared
  // The step's credentials with a step source-registry are that registry's.
  const scoped = context.sourceRegistry
  return scoped && !isSameRegistry(scoped.loginServer, host) ? undefined : STEP
}

/** The defaults' credentials that name no registry may serve one registry only. */
function checkUnnamedDefaults(
  planned: { entry: FileEntry; host: string; names: CredentialNames | typeof STEP | undefined }[],
  defaults: EntrySettings
): void {
  const shared = defaults.credentials
  if (!shared || shared.value === NO_CREDENTIALS || shared.value.registry) return
  const users = new Map<string, string>()
  for (const { entry, host, names } of planned)
    if (names === shared.value && !users.has(host)) users.set(host, entry.origin)
  if (users.size > 1) throw unnamedDefaults(shared.where, users)
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
