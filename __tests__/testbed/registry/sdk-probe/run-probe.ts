// Runs container-registry-probe.mjs in a child process with the test bed's environment.
import { execFile } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

export interface ProbeRequest {
  tenantId: string
  clientId: string
  secret: string
  endpoint: string
  reads: (
    | { repository: string; tag: string }
    | { repository: string; listManifests: { pageSize: number } }
    | { repository: string; tag: string; updateTag: WritableProperties }
    | { repository: string; digest: string; updateManifest: WritableProperties }
  )[]
}

/** What updateTagProperties / updateManifestProperties take (the SDK's names for the changeable attributes). */
export interface WritableProperties {
  canWrite?: boolean
  canDelete?: boolean
  canRead?: boolean
  canList?: boolean
}

/** One manifest of a `listManifests` read, as the SDK parsed it. */
export interface ListedManifest {
  digest: string
  tags: string[]
  /** `os/architecture`, or null for an index or an artifact without a platform. */
  platform: string | null
  sizeInBytes: number | null
  /** True when the SDK turned `createdTime` into a Date. */
  createdOn: boolean
}

export type ProbeResult =
  | {
      ok: true
      value: {
        digest: string
        tagName: string
        manifestDigest: string
        architecture: string | null
        os: string | null
        platforms: string[]
      }
    }
  | { ok: true; value: { pages: ListedManifest[][] } }
  | { ok: true; value: Required<WritableProperties> & { digest: string } }
  | { ok: false; error: { name: string; message: string; statusCode?: number } }

const PROBE = join(dirname(fileURLToPath(import.meta.url)), 'container-registry-probe.mjs')

export async function runContainerRegistryProbe(
  env: Record<string, string>,
  request: ProbeRequest
): Promise<ProbeResult[]> {
  const { stdout } = await promisify(execFile)(process.execPath, [PROBE, JSON.stringify(request)], {
    env: { ...process.env, ...env },
    timeout: 30_000
  })
  return JSON.parse(stdout.trim().split('\n').pop()!) as ProbeResult[]
}
