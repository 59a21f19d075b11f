// The images file (`images-file`): a YAML (or JSON) file that lists entries under a top-level `images:`, with
// `defaults:` for every entry. This reads its shape and types only; what the values mean (references, targets,
// registries, the environment) is decided where source lines are decided too, in build-entries.
//
//   defaults:
//     credentials: { username-env: DOCKERHUB_USER, password-env: DOCKERHUB_TOKEN }
//   images:
//     - docker.io/library/redis:7
//     - source: docker.io/library/busybox:1.36
//       targets: [base/busybox:1.36, base/busybox:stable]
//
// The format grows by fields (tag patterns, referrers, locks, the trust policy: `trust:` at the top, `verify:` and
// `verify-mode:` per entry or under `defaults:`, read in trust-policy-fields): an unknown field is refused with the
// list of the known ones, so a typo is caught, and a field added later reads like the others. images-file.schema.json at
// the repository's root describes the same format for editors; a test keeps the two in step.
import { dirname, isAbsolute, relative } from 'node:path'
import { isMap, type Node } from 'yaml'
import {
  checkTagPattern,
  TAG_PATTERN_FIELDS,
  TAG_PATTERN_HINT,
  type TagPattern
} from '../request/tag-pattern.js'
import { knownList, YamlFields, type Field, type Located } from './yaml-fields.js'
import { looksLikeHost } from '../reference/parse-reference.js'
import { readImagesText } from './read-images-text.js'
import { reservedVariableProblem } from './reserved-variables.js'
import type { VerifyMode } from './trust-policy.js'
import {
  readPolicies,
  readVerify,
  readVerifyMode,
  type PolicyBook,
  type VerifyChoice
} from './trust-policy-fields.js'

/** The fields of the file itself. `$schema` lets a JSON file name its schema, as editors expect. */
export const FILE_FIELDS = ['images', 'defaults', 'trust', '$schema'] as const
/** The fields that may be given once for every entry, under `defaults:`. */
export const DEFAULT_FIELDS = [
  'force',
  'source-registry',
  'credentials',
  'referrers',
  'lock',
  'verify',
  'verify-mode'
] as const
/** The fields of an entry: its own image and targets, and any field of `defaults:`. */
export const ENTRY_FIELDS = ['source', 'targets', 'repositories', 'tags', ...DEFAULT_FIELDS] as const
export const CREDENTIAL_FIELDS = ['registry', 'username', 'username-env', 'password-env'] as const

/** Where a source registry's credentials come from: environment variables by name, never the secret itself. */
export interface CredentialNames {
  /**
   * The registry they are for (`docker.io`, `registry.contoso.com`): they go to no other. Under `defaults:` they
   * apply to the entries of that registry only; without it, to one registry only (build-entries checks).
   */
  registry?: Located<string>
  /** A username written in the file (it is not a secret). */
  username?: string
  /** Or the variable that holds it. */
  usernameEnv?: Located<string>
  passwordEnv: Located<string>
}

/** `credentials: none`: an entry that reads its source anonymously, whatever the defaults say. */
export const NO_CREDENTIALS = 'none'

/** Fields that an entry may set and `defaults:` may set for all; undefined when not written. */
export interface EntrySettings {
  force?: boolean
  sourceRegistry?: Located<string>
  credentials?: Located<CredentialNames | typeof NO_CREDENTIALS>
  /** Copy the image's signatures, SBOMs and attestations (the step's `referrers` input when not written). */
  referrers?: boolean
  /** Lock the target tags once landed (the step's `lock` input when not written). */
  lock?: boolean
  /** The trust policies that must verify the image, or false (the step's `trust-policy` file when not written). */
  verify?: VerifyChoice
  /** enforce or audit (the trust-policy file's, else enforce, when not written). */
  verifyMode?: Located<VerifyMode>
}

export interface FileEntry extends EntrySettings {
  /** Where the entry starts: "images.yaml line 14". */
  origin: string
  source: Located<string>
  /** `targets` as written; empty when left out. */
  targets: Located<string>[]
  repositories: Located<string>[]
  /** `tags`: the source is a repository and these of its tags are imported. */
  tags?: Located<TagPattern>
}

export interface ImagesFile {
  defaults: EntrySettings
  entries: FileEntry[]
  /** The policies under `trust:`, by name (empty without one); paths in them are relative to the file. */
  trust: PolicyBook
}

const SOURCE_HINT =
  'write source as [registry/]repository[:tag|@sha256:<digest>], e.g. docker.io/library/busybox:1.36'
const TARGET_HINT =
  'write targets as repository[:tag], one or a list, e.g. [base/busybox:1.36, base/busybox:stable]'
const REGISTRY_HINT = "write the source registry's name, login server or resource ID"
const ENV_NAME_HINT =
  'name the environment variable that holds it (letters, digits and _), e.g. password-env: DOCKERHUB_TOKEN, and map the secret to it in the step'
const REGISTRY_HOST_HINT =
  'write the host of the registry the credentials are for, e.g. registry: docker.io or registry: registry.contoso.com'
const RESERVED_HINT =
  "name a variable that holds the source registry's own secret, e.g. password-env: DOCKERHUB_TOKEN, mapped in the step's env:"
const IMAGES_HINT =
  'list the images under a top-level images:, e.g. images: [{source: docker.io/library/busybox:1.36}]'

/** Reads and checks the file at `path` (absolute). Every mistake is one UserError naming the file and the line. */
export function readImagesFile(path: string): ImagesFile {
  const name = displayName(path)
  const yaml: YamlFields = YamlFields.parse(readImagesText(path, name), name)
  const root = yaml.root
  if (!root) yaml.fail(`${name} line 1`, 'the file is empty', IMAGES_HINT)
  if (!isMap(root)) yaml.fail(yaml.where(root), 'the file must be a map with an images: list', IMAGES_HINT)
  const top = yaml.fields(root, 'the file', FILE_FIELDS)
  const images = top.get('images')
  if (!images || yaml.isEmpty(images))
    yaml.fail(yaml.where(root), 'the file has no images: list', IMAGES_HINT)
  const defaults = top.get('defaults')
  const trust = top.get('trust')
  return {
    trust: trust ? readPolicies(yaml, trust, dirname(path)) : new Map(),
    defaults:
      defaults && !yaml.isEmpty(defaults)
        ? settings(yaml, yaml.fields(defaults.value, 'defaults', DEFAULT_FIELDS, notADefault))
        : {},
    entries: yaml.items(images).map((item) => fileEntry(yaml, item, images))
  }
}

function fileEntry(yaml: YamlFields, node: Node | null, images: Field): FileEntry {
  const origin = yaml.where(node)
  // A bare source is the smallest entry: `- docker.io/library/redis:7`.
  if (!node || !isMap(node)) {
    return {
      origin,
      source: yaml.text({ ...images, name: 'source', value: node }, SOURCE_HINT),
      targets: [],
      repositories: []
    }
  }
  const fields = yaml.fields(node, 'an entry of images', ENTRY_FIELDS)
  const source = fields.get('source')
  if (!source || yaml.isEmpty(source)) yaml.fail(origin, "an entry of images has no 'source'", SOURCE_HINT)
  const tags = fields.get('tags')
  const list = (name: string, hint: string) => {
    const field = fields.get(name)
    return field && !yaml.isEmpty(field) ? yaml.texts(field, hint) : []
  }
  return {
    origin,
    source: yaml.text(source, SOURCE_HINT),
    targets: list('targets', TARGET_HINT),
    repositories: list('repositories', 'write repositories as untagged repository names, one or a list'),
    tags: tags && !yaml.isEmpty(tags) ? tagPattern(yaml, tags) : undefined,
    ...settings(yaml, fields)
  }
}

/** `tags: {semver, regex, exclude, newest, prerelease}`, each value checked where it is written. */
function tagPattern(yaml: YamlFields, field: Field): Located<TagPattern> {
  const where = yaml.whereValue(field)
  if (!isMap(field.value)) {
    yaml.fail(
      where,
      "'tags' must be a map",
      `write tags: { semver: '>=1.27.0 <1.28.0' }; ${TAG_PATTERN_HINT}`
    )
  }
  const fields = yaml.fields(field.value, 'tags', TAG_PATTERN_FIELDS)
  const given = (name: string) => {
    const found = fields.get(name)
    return found && !yaml.isEmpty(found) ? found : undefined
  }
  const text = (name: string) => {
    const found = given(name)
    return found && yaml.text(found, TAG_PATTERN_HINT)
  }
  const semver = text('semver')
  const regex = text('regex')
  const exclude = text('exclude')
  const newest = given('newest')
  const prerelease = given('prerelease')
  const pattern: TagPattern = {
    semver: semver?.value,
    regex: regex?.value,
    exclude: exclude?.value,
    newest: newest && yaml.integer(newest, 'e.g. newest: 3'),
    prerelease: prerelease ? yaml.boolean(prerelease) : false
  }
  // A bad value is reported at its own line; a missing semver/regex at the tags: line.
  for (const [name, located] of [
    ['semver', semver],
    ['regex', regex],
    ['exclude', exclude]
  ] as const) {
    if (located) checkTagPattern({ prerelease: false, regex: '', [name]: located.value }, located.where)
  }
  return { value: checkTagPattern(pattern, where), where }
}

/** The fields an entry shares with `defaults:`. */
function settings(yaml: YamlFields, fields: Map<string, Field>): EntrySettings {
  const given = (name: string) => {
    const field = fields.get(name)
    return field && !yaml.isEmpty(field) ? field : undefined
  }
  const force = given('force')
  const sourceRegistry = given('source-registry')
  const credentials = given('credentials')
  const referrers = given('referrers')
  const lock = given('lock')
  const verify = given('verify')
  const verifyMode = given('verify-mode')
  return {
    force: force && yaml.boolean(force),
    sourceRegistry: sourceRegistry && yaml.text(sourceRegistry, REGISTRY_HINT),
    credentials: credentials && credentialNames(yaml, credentials),
    referrers: referrers && yaml.boolean(referrers),
    lock: lock && yaml.boolean(lock),
    verify: verify && readVerify(yaml, verify),
    verifyMode: verifyMode && readVerifyMode(yaml, verifyMode)
  }
}

function credentialNames(yaml: YamlFields, field: Field): Located<CredentialNames | typeof NO_CREDENTIALS> {
  const where = yaml.whereValue(field)
  if (!isMap(field.value)) {
    const text = yaml.text(field, `write credentials as a map of ${CREDENTIAL_FIELDS.join(', ')}, or none`)
    if (text.value !== NO_CREDENTIALS) {
      // The value is not shown: a misplaced secret must not reach the log.
      yaml.fail(
        where,
        "'credentials' must be a map or none",
        `write { username-env: ..., password-env: ... }, or none`
      )
    }
    return { value: NO_CREDENTIALS, where }
  }
  const fields = yaml.fields(field.value, 'credentials', CREDENTIAL_FIELDS, (name) =>
    name === 'password' ? `a password never goes in the file: ${ENV_NAME_HINT}` : undefined
  )
  const password = fields.get('password-env')
  if (!password || yaml.isEmpty(password)) yaml.fail(where, "credentials need 'password-env'", ENV_NAME_HINT)
  const username = fields.get('username')
  const usernameEnv = fields.get('username-env')
  if (username && usernameEnv) {
    yaml.fail(usernameEnv.where, "credentials have both 'username' and 'username-env'", 'keep one of them')
  }
  const registry = fields.get('registry')
  return {
    value: {
      registry: registry && registryHost(yaml, registry),
      username:
        username && yaml.text(username, 'write the username, or name its variable in username-env').value,
      usernameEnv: usernameEnv && environmentName(yaml, usernameEnv),
      passwordEnv: environmentName(yaml, password)
    },
    where
  }
}

/** `registry:` in credentials: a host as a reference starts with it (docker.io, registry.contoso.com:5000). */
function registryHost(yaml: YamlFields, field: Field): Located<string> {
  const host = yaml.text(field, REGISTRY_HOST_HINT)
  if (!/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(host.value) || !looksLikeHost(host.value)) {
    yaml.fail(host.where, "'registry' in credentials must be a registry's host", REGISTRY_HOST_HINT)
  }
  return host
}

/** The name of an environment variable. The value is never shown: it might be the secret itself, misplaced. */
function environmentName(yaml: YamlFields, field: Field): Located<string> {
  const name = yaml.text(field, ENV_NAME_HINT)
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name.value)) {
    yaml.fail(name.where, `'${field.name}' must be the name of an environment variable`, ENV_NAME_HINT)
  }
  const reserved = reservedVariableProblem(name.value)
  if (reserved) yaml.fail(name.where, `'${field.name}' names ${reserved}`, RESERVED_HINT)
  return name
}

function notADefault(name: string): string | undefined {
  return (ENTRY_FIELDS as readonly string[]).includes(name)
    ? `'${name}' belongs to each entry and has no default; ${knownList(DEFAULT_FIELDS)} (under defaults:)`
    : `${knownList(DEFAULT_FIELDS)} (under defaults:)`
}

/** Inside the working folder the path as the user would write it; elsewhere the whole path. */
export function displayName(path: string): string {
  const inside = relative(process.cwd(), path)
  return inside && !inside.startsWith('..') && !isAbsolute(inside) ? inside.replace(/\\/g, '/') : path
}
