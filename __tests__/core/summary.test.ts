import { describe, expect, it } from '@jest/globals'
import { summaryMarkdown } from '../../src/core/results/summary.js'
import { shortDigest } from '../../src/core/util/digest.js'

const DIGEST = `sha256:${'c'.repeat(64)}`

describe('summaryMarkdown', () => {
  it('has one row per import and lists failures', () => {
    const markdown = summaryMarkdown([
      {
        source: 'docker.io/library/nginx:1',
        targets: ['prodacr.azurecr.io/nginx:1'],
        digest: DIGEST,
        platforms: ['linux/amd64'],
        status: 'imported',
        durationMs: 2500
      },
      {
        source: 'mcr.microsoft.com/x|y',
        targets: [],
        digest: '',
        platforms: [],
        status: 'failed',
        durationMs: 100,
        error: 'Tag exists. use force'
      }
    ])
    const rows = markdown
      .split('\n')
      .filter((l) => l.startsWith('| ') && !l.startsWith('| Source') && !l.startsWith('| ---'))
    expect(rows).toEqual([
      `| docker.io/library/nginx:1 | prodacr.azurecr.io/nginx:1 | \`sha256:cccccccccccc\` | linux/amd64 | ✅ imported | 2.5 s |`,
      '| mcr.microsoft.com/x\\|y |  | – | – | ❌ failed | 0.1 s |'
    ])
    expect(markdown).toContain('**1 of 2 failed:**')
    expect(markdown).toContain('**1** imported, **1** failed.')
    expect(markdown).toContain('- mcr.microsoft.com/x\\|y: Tag exists. use force')
  })

  it('counts unchanged images, and says which shard the step ran', () => {
    const unchanged = {
      source: 's',
      targets: [],
      digest: DIGEST,
      platforms: [],
      status: 'unchanged' as const,
      durationMs: 1
    }
    const markdown = summaryMarkdown([unchanged, unchanged], {
      shard: { index: 2, count: 4, kept: 2, total: 9 }
    })
    expect(markdown).toContain('Shard 2 of 4: 2 of the 9 images in the list.')
    expect(markdown).toContain('**2** unchanged.')
    expect(markdown).toContain('⏸️ unchanged')
  })

  it('titles a dry run', () => {
    expect(summaryMarkdown([], { dryRun: true })).toMatch(/dry run: nothing was imported/)
  })

  it('shortens sha256 digests only', () => {
    expect(shortDigest(DIGEST)).toBe('sha256:cccccccccccc')
    expect(shortDigest('other')).toBe('other')
  })
})
