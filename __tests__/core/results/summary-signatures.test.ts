// What the summary and the results say of signatures: a column with the policy and the kind of signature that
// verified each image (only when some entry had a policy), audit mode's unverified imports under "Needs attention"
// with why, enforce's refusals among the failures; and the results output carries what verified each image.
import { describe, expect, it } from '@jest/globals'
import { stepOutcome } from '../../../src/core/results/step-outcome.js'
import { summaryMarkdown } from '../../../src/core/results/summary.js'
import { batchWithFailureAndPattern, digestOf, signedBatch } from './summary-batches.js'

const tableRows = (markdown: string): string[] =>
  markdown.split('\n').filter((l) => l.startsWith('| ') && !/^\| (Status|Tag pattern|---) /.test(l))

describe('the summary of a batch under signature policies', () => {
  const { results, options } = signedBatch()
  const markdown = summaryMarkdown(results, options)

  it('shows what verified each image in a column of its own, after the digest', () => {
    expect(markdown).toContain('| Status | Image and targets | Digest | Signature | Duration |')
    expect(tableRows(markdown).map((row) => row.split(' | ')[3])).toEqual([
      '✅ release-key<br>cosign',
      '✅ github-release<br>sigstore bundle',
      '✅ contoso-ca<br>notation',
      '⚠️ not verified (audit)',
      '❌ not verified',
      '–'
    ])
  })

  it("lists audit mode's unverified import under Needs attention, with why, and enforce's refusal among the failures", () => {
    expect(markdown).toContain(
      '#### ⚠️ Needs attention\n\n- **docker.io/library/nginx:1.27** (images.yaml line 18): signature not verified ' +
        `(verify-mode: audit, not enforced): no signature found for sha256:${'36'.repeat(6)}; github-release requires one`
    )
    expect(markdown).toContain(
      '#### ❌ 1 of 6 failed\n\n- **devacr.azurecr.io/payments/ledger:2.8.0** (images.yaml line 22): Signature not ' +
        'verified: 2 signatures found (cosign, notation); none verifies with release-key or contoso-ca'
    )
    expect(markdown).not.toMatch(/[0-9a-f]{13,}/)
  })

  it('keeps the table without the column when no entry had a policy', () => {
    const plain = summaryMarkdown(batchWithFailureAndPattern().results, batchWithFailureAndPattern().options)
    expect(plain).not.toContain('Signature |')
    expect(plain).not.toContain('verify-mode')
  })
})

describe('the results output', () => {
  it('gives each entry with a policy what verified it: policy, kind, signer, signature digest; or why none did', () => {
    const { results, options } = signedBatch()
    const published = JSON.parse(JSON.stringify(stepOutcome(results, options).results)) as Record<
      string,
      unknown
    >[]
    expect(published[1].signature).toEqual({
      verified: true,
      policy: 'github-release',
      kind: 'sigstore-bundle',
      signer: 'https://github.com/contoso/app/.github/workflows/release.yml@refs/tags/v1.4.2',
      digest: digestOf(62)
    })
    expect(published[3].signature).toEqual({
      verified: false,
      mode: 'audit',
      reason: `no signature found for ${digestOf(54)}; github-release requires one`
    })
    expect(published[5]).not.toHaveProperty('signature')
  })
})
