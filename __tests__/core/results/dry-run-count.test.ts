// The dry run's notice and its summary count the same way: one number for what would be imported, one for what
// is unchanged, in the same words.
import { describe, expect, it } from '@jest/globals'
import type { ImportResult, ImportStatus } from '../../../src/core/execute/import-result.js'
import { dryRunNotice } from '../../../src/core/results/outcome-counts.js'
import { summaryMarkdown } from '../../../src/core/results/summary.js'

const results = (...statuses: ImportStatus[]): ImportResult[] =>
  statuses.map((status, i) => ({
    source: `docker.io/library/app${i}:1`,
    targets: [`prodacr.azurecr.io/app${i}:1`],
    digest: `sha256:${String(i).repeat(64)}`,
    platforms: [],
    status,
    durationMs: 10
  }))

describe('the dry run count', () => {
  it('is the same in the notice and in the summary: 3 would be imported, 1 unchanged', () => {
    const planned = results('planned', 'unchanged', 'planned', 'planned')
    expect(dryRunNotice(planned)).toBe('Dry run: 3 would be imported, 1 unchanged; nothing was imported')
    const summary = summaryMarkdown(planned, { dryRun: true })
    expect(summary).toContain('**3** would be imported, **1** unchanged.')
    const plain = (text: string) => text.replace(/\*\*/g, '')
    expect(plain(summary)).toContain(dryRunNotice(planned).replace(/^Dry run: (.*);.*$/, '$1'))
  })

  it('counts a failure the plan found as failed, not as planned', () => {
    expect(dryRunNotice(results('planned', 'failed'))).toBe(
      'Dry run: 1 would be imported, 1 failed; nothing was imported'
    )
  })

  it('says so when there is nothing to import', () => {
    expect(dryRunNotice([])).toBe('Dry run: nothing to import; nothing was imported')
  })
})
