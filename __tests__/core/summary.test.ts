import { describe, expect, it } from '@jest/globals'
import { summaryMarkdown } from '../../src/core/results/summary.js'
import { shortDigest } from '../../src/core/util/digest.js'

const DIGEST = `sha256:${'c'.repeat(64)}`

describe('summaryMarkdown', () => {
  it('has one row per import, status first, and the failure with its fix before the table', () => {
    const markdown = summaryMarkdown(
      [
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
      ],
      { registry: 'prodacr.azurecr.io' }
    )
    const rows = markdown.split('\n').filter((l) => l.startsWith('| ') && !/^\| (Status|---) /.test(l))
    expect(rows).toEqual([
      '| ✅ imported | docker.io/library/nginx:1<br>→ nginx:1 | `sha256:cccccccccccc`<br>linux/amd64 | 2.5 s |',
      '| ❌ failed | mcr.microsoft.com/x\\|y | – | 0.1 s |'
    ])
    expect(markdown).toContain('**1** imported, **1** failed.')
    expect(markdown).toContain('#### ❌ 1 of 2 failed')
    expect(markdown.indexOf('- **mcr.microsoft.com/x\\|y**: Tag exists. use force')).toBeLessThan(
      markdown.indexOf('| Status |')
    )
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

  it('titles a dry run, and says when there is nothing to import', () => {
    const markdown = summaryMarkdown([], { dryRun: true, registry: 'prodacr.azurecr.io' })
    expect(markdown).toMatch(
      /^### ACR import plan for prodacr\.azurecr\.io \(dry run: nothing was imported\)/
    )
    expect(markdown).toContain('\nNothing to import.\n')
  })

  it('shortens sha256 digests only', () => {
    expect(shortDigest(DIGEST)).toBe('sha256:cccccccccccc')
    expect(shortDigest('other')).toBe('other')
  })
})
