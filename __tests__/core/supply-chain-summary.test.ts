// The summary's supply-chain column: what travelled with each image, and the lock; absent when nothing did.
import { describe, expect, it } from '@jest/globals'
import type { ImportResult } from '../../src/core/execute/import-result.js'
import { summaryMarkdown } from '../../src/core/results/summary.js'

const base: ImportResult = {
  source: 'devacr.azurecr.io/signed/app:1.0.0',
  targets: ['prodacr.azurecr.io/signed/app:1.0.0'],
  digest: `sha256:${'a'.repeat(64)}`,
  platforms: [],
  status: 'imported',
  durationMs: 1200
}

describe('the supply-chain column', () => {
  it('counts signatures and SBOMs by kind, and says locked', () => {
    const signed: ImportResult = {
      ...base,
      referrers: [
        { digest: `sha256:${'1'.repeat(64)}`, artifactType: 'application/vnd.cncf.notary.signature' },
        { digest: `sha256:${'2'.repeat(64)}`, artifactType: 'application/spdx+json' },
        {
          digest: `sha256:${'3'.repeat(64)}`,
          artifactType: 'application/vnd.dev.cosign.simplesigning.v1+json',
          tag: `sha256-${'a'.repeat(64)}.sig`
        }
      ],
      locked: true
    }
    const plain: ImportResult = { ...base, source: 'docker.io/library/alpine:3.20', status: 'unchanged' }
    const markdown = summaryMarkdown([signed, plain])
    expect(markdown).toContain('| Status | Image and targets | Digest | Supply chain | Duration |')
    expect(markdown).toContain('| 2 signatures, 1 SBOM, 🔒 locked | 1.2 s |')
    expect(markdown).toMatch(/\| ⏸️ unchanged \| .* \| – \| 1\.2 s \|/)
  })

  it('leaves the table as it was when no entry has referrers or a lock', () => {
    const markdown = summaryMarkdown([base])
    expect(markdown).toContain('| Status | Image and targets | Digest | Duration |')
    expect(markdown).not.toContain('Supply chain')
  })
})
