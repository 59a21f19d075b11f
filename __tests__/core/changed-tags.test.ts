// The `changed` output, tag by tag: a tag changed when the import wrote a digest it did not hold before.
import { describe, expect, it } from '@jest/globals'
import { changedTags } from '../../src/core/execute/changed-tags.js'
import type { PlannedImport } from '../../src/core/plan/planned-import.js'
import type { ManifestRead } from '../../src/core/registry/manifest-info.js'

const A = `sha256:${'a'.repeat(64)}`
const B = `sha256:${'b'.repeat(64)}`
const holding = (digest: string): ManifestRead => ({ kind: 'read', manifest: { digest, platforms: [] } })
const plan = (targetTags: string[], unchangedTags?: string[]) =>
  ({ entry: { targetTags, untaggedRepositories: [] }, unchangedTags }) as unknown as PlannedImport

describe('changedTags', () => {
  it('names a new tag with no previous digest, a moved tag with the one it held, and leaves a held tag out', () => {
    const before = new Map<string, ManifestRead>([
      ['app:new', { kind: 'not-found', detail: 'manifest unknown' }],
      ['app:moved', holding(B)],
      ['app:held', holding(A)]
    ])
    expect(changedTags(plan(['app:new', 'app:moved', 'app:held']), before, 'prodacr.azurecr.io', A)).toEqual([
      { target: 'prodacr.azurecr.io/app:new', digest: A, previous: null },
      { target: 'prodacr.azurecr.io/app:moved', digest: A, previous: B }
    ])
  })

  it("leaves out a tag pattern's tags that the import does not write", () => {
    expect(changedTags(plan(['app:1', 'app:latest'], ['app:1']), new Map(), 'r.azurecr.io', A)).toEqual([
      { target: 'r.azurecr.io/app:latest', digest: A, previous: null }
    ])
  })

  it('says nothing when the digest is unknown', () => {
    expect(changedTags(plan(['app:1']), new Map(), 'r.azurecr.io', '')).toEqual([])
  })
})
