import { describe, expect, it } from '@jest/globals'
import type { RegistryInfo } from '../../src/core/arm/registry-info.js'
import type { ManifestRead } from '../../src/core/registry/manifest-info.js'
import type { ManifestReaders } from '../../src/core/resolve/manifest-readers.js'
import type { PlannedImport } from '../../src/core/plan/planned-import.js'
import { EntryLog } from '../../src/core/log/entry-log.js'
import { verifyImport } from '../../src/core/verify/verify-import.js'

const A = `sha256:${'a'.repeat(64)}`
const B = `sha256:${'b'.repeat(64)}`

/** An import context whose target reads answer from `tags` (tag -> what reading it gives). */
function contextReading(tags: Record<string, ManifestRead>): {
  target: RegistryInfo
  readers: ManifestReaders
} {
  return {
    target: { loginServer: 'prodacr.azurecr.io' } as RegistryInfo,
    readers: {
      readSource: () => Promise.reject(new Error('not used')),
      readTarget: (_loginServer, repository, tag) => Promise.resolve(tags[`${repository}:${tag}`]),
      readTargetDigest: () => Promise.reject(new Error('verify reads whole manifests'))
    }
  }
}

describe('verifyImport', () => {
  const read = (digest: string): ManifestRead => ({ kind: 'read', manifest: { digest, platforms: [] } })
  const plan = (targetTags: string[]): PlannedImport =>
    ({
      entry: { targetTags, untaggedRepositories: [] },
      reference: { registry: 'docker.io', repository: 'library/app', tag: '1' },
      access: { kind: 'registryUri' },
      source: read(A),
      log: new EntryLog()
    }) as unknown as PlannedImport

  it('passes when every target tag holds the source digest', async () => {
    const verdict = await verifyImport(
      plan(['app:1', 'app:stable']),
      contextReading({ 'app:1': read(A), 'app:stable': read(A) })
    )
    expect(verdict).toMatchObject({ digest: A, failure: undefined })
  })

  it('fails when the first tag holds the source digest but a further tag does not', async () => {
    const verdict = await verifyImport(
      plan(['app:1', 'app:stable']),
      contextReading({ 'app:1': read(A), 'app:stable': read(B) })
    )
    expect(verdict.failure).toBe(
      `Digest mismatch: prodacr.azurecr.io/app:stable is ${B}, but the import was ${A}`
    )
  })

  it('accepts a further tag it cannot read (the first tag decided the digest)', async () => {
    const verdict = await verifyImport(
      plan(['app:1', 'app:stable']),
      contextReading({ 'app:1': read(A), 'app:stable': { kind: 'unreadable', reason: 'HTTP 401' } })
    )
    expect(verdict).toMatchObject({ digest: A, failure: undefined })
  })

  it('names a further tag that is missing after a successful import', async () => {
    const verdict = await verifyImport(
      plan(['app:1', 'app:stable']),
      contextReading({ 'app:1': read(A), 'app:stable': { kind: 'not-found', detail: 'manifest unknown' } })
    )
    expect(verdict.failure).toBe(
      'ARM reported success, but prodacr.azurecr.io/app:stable is not in the target registry'
    )
  })
})
