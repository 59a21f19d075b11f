// A source only Azure can read (an ACR sent by resource ID that refuses the runner: network-restricted, or no pull
// role): said once as a notice, not as warnings that ask for what the user already did; its targets read first, so
// an import that changed nothing is reported unchanged; its summary row says the source was not readable.
import { entryLogLines } from './entry-log-lines.js'
import { describe, expect, it } from '@jest/globals'
import type { EntryRun } from '../../src/core/execute/entry-step.js'
import type { ImportResult } from '../../src/core/execute/import-result.js'
import { verifyStep } from '../../src/core/execute/verify-step.js'
import { planImports } from '../../src/core/plan/plan-imports.js'
import type { PlannedImport } from '../../src/core/plan/planned-import.js'
import type { ManifestRead } from '../../src/core/registry/manifest-info.js'
import type { ResolvedEntry } from '../../src/core/resolve/source-access.js'
import { summaryMarkdown } from '../../src/core/results/summary.js'
import { digestOf, entryOf, holding, registryInfo, tableReaders } from './unit/fakes.js'

const TARGET = registryInfo('prodacr')
const DEV = registryInfo('devacr')
const REFUSED: ManifestRead = {
  kind: 'unreadable',
  status: 403,
  reason: 'devacr.azurecr.io answered HTTP 403 DENIED'
}
const HELD = digestOf('a')

function hiddenSource(
  access: ResolvedEntry['access'] = { kind: 'resourceId', registry: DEV }
): ResolvedEntry {
  const entry = entryOf({
    written: 'app:1.0.0',
    reference: { registry: 'devacr.azurecr.io', repository: 'app', tag: '1.0.0' },
    targetTags: ['app:1.0.0']
  })
  return { entry, reference: entry.reference, access, target: TARGET }
}

describe('a source only Azure can read', () => {
  it('is planned with one notice, no warning, and its target tags read first', async () => {
    const readers = tableReaders(REFUSED, { 'app:1.0.0': holding(HELD) })
    const [plan] = await planImports([hiddenSource()], {
      readers,
      skipUnchanged: true,
      dryRun: false
    })
    expect(plan.decision).toEqual({ kind: 'import' })
    expect(readers.targetReads).toEqual(['app:1.0.0'])
    const printed = entryLogLines(plan.log)
    expect(printed.filter((l) => l.startsWith('notice:'))).toEqual([
      expect.stringMatching(
        /^notice: devacr\.azurecr\.io\/app:1\.0\.0 is not readable from the runner .*HTTP 403.*server-side on every run/
      )
    ])
    expect(printed.join('\n')).not.toMatch(/warning:|Not skipped/)
  })

  it('is not one when the source is reached by its URI with credentials (they are the user’s to fix)', async () => {
    const readers = tableReaders(REFUSED, { 'app:1.0.0': holding(HELD) })
    const access: ResolvedEntry['access'] = {
      kind: 'registryUri',
      credentials: { username: 'u', password: 'p' }
    }
    const [plan] = await planImports([hiddenSource(access)], {
      readers,
      skipUnchanged: true,
      dryRun: false
    })
    expect(plan.targetsBefore.size).toBe(0)
    expect(entryLogLines(plan.log).join('\n')).toMatch(
      /Not skipped as unchanged: the source digest could not be read/
    )
  })

  async function verifyAfterImport(
    held: string,
    now: string
  ): Promise<{ result: ImportResult; plan: PlannedImport }> {
    const readers = tableReaders(REFUSED, { 'app:1.0.0': holding(held) })
    const [planned] = await planImports([hiddenSource()], {
      readers,
      skipUnchanged: true,
      dryRun: false
    })
    const after = tableReaders(REFUSED, { 'app:1.0.0': holding(now) })
    const run = { context: { readers: after, target: TARGET } } as unknown as EntryRun
    const start: ImportResult = {
      source: 'devacr.azurecr.io/app:1.0.0',
      targets: ['prodacr.azurecr.io/app:1.0.0'],
      digest: '',
      platforms: [],
      status: 'imported',
      durationMs: 0,
      sourceNotReadable: true
    }
    const { result } = await verifyStep(planned, { result: start, landing: { seenOn: 'ARM' } }, run)
    return { result, plan: planned }
  }

  it('is reported unchanged when the import wrote the digest every target tag already held', async () => {
    const { result, plan } = await verifyAfterImport(HELD, HELD)
    expect(result).toMatchObject({ status: 'unchanged', digest: HELD })
    expect(entryLogLines(plan.log).join('\n')).not.toMatch(/warning:/)
  })

  it('is imported when the target tag moved, with the new digest and no warning', async () => {
    const moved = digestOf('b')
    const { result, plan } = await verifyAfterImport(HELD, moved)
    expect(result).toMatchObject({ status: 'imported', digest: moved })
    expect(result.changed).toEqual([
      { target: 'prodacr.azurecr.io/app:1.0.0', digest: moved, previous: HELD }
    ])
    expect(entryLogLines(plan.log).join('\n')).not.toMatch(/warning:/)
  })

  it('shows its summary row as imported (source not readable)', () => {
    const result: ImportResult = {
      source: 'devacr.azurecr.io/app:1.0.0',
      targets: ['prodacr.azurecr.io/app:1.0.0'],
      digest: HELD,
      platforms: [],
      status: 'imported',
      durationMs: 1000,
      sourceNotReadable: true
    }
    expect(summaryMarkdown([result], { registry: 'prodacr.azurecr.io' })).toContain(
      '✅ imported (source not readable)'
    )
  })
})
