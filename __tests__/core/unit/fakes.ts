// Small fakes of the ports the engine's stages take, for unit tests that run in-process without the test bed:
// a Logger that records, manifest readers that answer from a table and record what was read, an ARM registry
// lookup that answers from a list, and the entries and registries they work on.
import type { ArmRegistries } from '../../../src/core/arm/management.js'
import type { RegistryInfo } from '../../../src/core/arm/registry-info.js'
import type { Entry } from '../../../src/core/entries/entry.js'
import type { Logger } from '../../../src/core/log/logger.js'
import type { ManifestRead } from '../../../src/core/registry/manifest-info.js'
import type { ManifestReaders } from '../../../src/core/resolve/manifest-readers.js'

export const SUBSCRIPTION = '11111111-1111-4111-8111-111111111111'
export const OTHER_SUBSCRIPTION = '22222222-2222-4222-8222-222222222222'

/** `sha256:` and 64 times `c`: a digest that is easy to tell apart in a failure. */
export const digestOf = (c: string): string => `sha256:${c.repeat(64)}`

/** A manifest that was read, holding `digest`. */
export const holding = (digest: string): ManifestRead => ({
  kind: 'read',
  manifest: { digest, platforms: [] }
})

/** An ACR as ARM describes it, in `subscriptionId` (resource group `rg`). */
export function registryInfo(name: string, subscriptionId = SUBSCRIPTION): RegistryInfo {
  return {
    id: `/subscriptions/${subscriptionId}/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/${name}`,
    name,
    subscriptionId,
    resourceGroup: 'rg',
    loginServer: `${name.toLowerCase()}.azurecr.io`,
    sku: 'Premium'
  }
}

/** An entry as the entries stage makes one: docker.io/library/nginx:1.27 to app:1.27, NoForce, unless changed. */
export function entryOf(fields: Partial<Entry> = {}): Entry {
  return {
    written: 'nginx:1.27',
    origin: 'source line 1',
    reference: { registry: 'docker.io', repository: 'library/nginx', tag: '1.27' },
    targetTags: ['app:1.27'],
    untaggedRepositories: [],
    force: false,
    referrers: false,
    lock: false,
    notices: [],
    ...fields
  }
}

export interface RecordingLogger extends Logger {
  /** Every line as `<level>: <text>`, groups as `group: <title>`. */
  lines: string[]
  /** Every value registered with setSecret, as given. */
  secrets: string[]
}

export function recordingLogger(): RecordingLogger {
  const lines: string[] = []
  const secrets: string[] = []
  const line = (level: string) => (message: string) => lines.push(`${level}: ${message}`)
  return {
    lines,
    secrets,
    info: line('info'),
    notice: line('notice'),
    warning: line('warning'),
    debug: line('debug'),
    group: async (title, fn) => {
      lines.push(`group: ${title}`)
      return fn()
    },
    setSecret: (value) => secrets.push(value)
  }
}

export interface TableReaders extends ManifestReaders {
  /** Every target read, as `repo:tag`, in the order asked. */
  targetReads: string[]
  /** Every source read, as the reference's tag or digest. */
  sourceReads: string[]
}

/**
 * Readers that answer the source with `source` and each target `repo:tag` from `targets` (a tag not in it was
 * not found), recording every read.
 */
export function tableReaders(source: ManifestRead, targets: Record<string, ManifestRead> = {}): TableReaders {
  const targetReads: string[] = []
  const sourceReads: string[] = []
  const readTargetTag = async (
    _loginServer: string,
    repository: string,
    tag: string
  ): Promise<ManifestRead> => {
    targetReads.push(`${repository}:${tag}`)
    return targets[`${repository}:${tag}`] ?? { kind: 'not-found', detail: 'manifest unknown' }
  }
  return {
    targetReads,
    sourceReads,
    readSource: async ({ reference }) => {
      sourceReads.push(reference.digest ?? reference.tag ?? 'latest')
      return source
    },
    readTarget: readTargetTag,
    readTargetDigest: readTargetTag
  }
}

export interface FakeArm {
  /** What the stage asked ARM, in order: `list <subscription>`, `get <subscription>/<group>/<name>`. */
  calls: string[]
  /** The fake as the stages take it (ArmRegistries is a class; only `list` and `get` are used by resolve). */
  arm: ArmRegistries
}

/**
 * An ARM that sees `registries` (in their subscriptions). With `failures.list`, every listing throws it (no list
 * rights); with `failures.get`, every GET by resource ID throws it (no read rights, or ARM's 404).
 */
export function fakeArm(
  registries: RegistryInfo[],
  failures: { list?: unknown; get?: unknown } = {}
): FakeArm {
  const calls: string[] = []
  const fake = {
    list: async (subscriptionId: string): Promise<RegistryInfo[]> => {
      calls.push(`list ${subscriptionId}`)
      if (failures.list !== undefined) throw failures.list
      return registries.filter((r) => r.subscriptionId === subscriptionId)
    },
    get: async (subscriptionId: string, group: string, name: string): Promise<RegistryInfo | undefined> => {
      calls.push(`get ${subscriptionId}/${group}/${name}`)
      if (failures.get !== undefined) throw failures.get
      return registries.find(
        (r) => r.subscriptionId === subscriptionId && r.resourceGroup === group && r.name === name
      )
    },
    /** The subscriptions the identity can read: those of its registries, and the step's. */
    subscriptions: async (): Promise<string[]> => {
      calls.push('subscriptions')
      return [...new Set([SUBSCRIPTION, ...registries.map((r) => r.subscriptionId)])]
    }
  }
  return { calls, arm: fake as unknown as ArmRegistries }
}
