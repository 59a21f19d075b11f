// Two runs importing different digests into one tag at the same moment: the loser is told that another writer
// changed the tag, and which digest it holds, instead of "run the import again" (which only races again).
import { describe, expect, it } from '@jest/globals'
import type { RegistryInfo } from '../../src/core/arm/registry-info.js'
import type { PlannedImport } from '../../src/core/plan/planned-import.js'
import type { ManifestRead } from '../../src/core/registry/manifest-info.js'
import { EntryLog } from '../../src/core/log/entry-log.js'
import { verifyImport } from '../../src/core/verify/verify-import.js'

const [SOURCE, BEFORE, OTHER] = ['a', 'b', 'c'].map((c) => `sha256:${c.repeat(64)}`)
const read = (digest: string): ManifestRead => ({ kind: 'read', manifest: { digest, platforms: [] } })

function plan(before: Record<string, ManifestRead>): PlannedImport {
  return {
    entry: { targetTags: ['app:1', 'app:stable'], untaggedRepositories: [] },
    reference: { registry: 'docker.io', repository: 'library/app', tag: '1' },
    access: { kind: 'registryUri' },
    source: read(SOURCE),
    targetsBefore: new Map(Object.entries(before)),
    log: new EntryLog()
  } as unknown as PlannedImport
}

function readingNow(tags: Record<string, ManifestRead>) {
  return {
    target: { loginServer: 'prodacr.azurecr.io' } as RegistryInfo,
    readers: {
      readSource: () => Promise.reject(new Error('not used')),
      readTarget: (_server: string, repository: string, tag: string) =>
        Promise.resolve(tags[`${repository}:${tag}`]),
      readTargetDigest: (_server: string, repository: string, tag: string) =>
        Promise.resolve(tags[`${repository}:${tag}`])
    }
  }
}

describe('verifyImport and another writer', () => {
  it('names the digest another writer put on the tag during the import', async () => {
    const verdict = await verifyImport(
      plan({ 'app:1': read(BEFORE), 'app:stable': read(BEFORE) }),
      readingNow({ 'app:1': read(OTHER), 'app:stable': read(SOURCE) })
    )
    expect(verdict.failure).toBe(
      `Another writer changed prodacr.azurecr.io/app:1 during the import: it now holds ${OTHER}, neither the imported ${SOURCE} nor the ${BEFORE} it held before`
    )
    expect(verdict.failureHint).toMatch(/other job or person writing this tag/)
    expect(verdict.failure).not.toMatch(/run the import again/i)
  })

  it('also for a further tag, and for a tag that did not exist before', async () => {
    const verdict = await verifyImport(
      plan({ 'app:1': read(BEFORE), 'app:stable': { kind: 'not-found', detail: 'x' } }),
      readingNow({ 'app:1': read(SOURCE), 'app:stable': read(OTHER) })
    )
    expect(verdict.failure).toMatch(
      /^Another writer changed prodacr\.azurecr\.io\/app:stable .*nothing \(it did not exist before\)$/
    )
  })

  it('keeps the digest mismatch when the tag still holds what it held before, or the before is unknown', async () => {
    const unchanged = await verifyImport(
      plan({ 'app:1': read(BEFORE) }),
      readingNow({ 'app:1': read(BEFORE) })
    )
    expect(unchanged.failure).toMatch(/^Digest mismatch/)
    const unknown = await verifyImport(plan({}), readingNow({ 'app:1': read(OTHER) }))
    expect(unknown.failure).toMatch(/^Digest mismatch/)
  })
})
