// The plan stage's decisions, with fake manifest readers: what it reads (the target tags only when skipping
// unchanged or in a dry run), and what it decides from what it read: import, unchanged, or fail (a source not
// found, a NoForce tag that holds another image unless force).
import { describe, expect, it } from '@jest/globals'
import type { Entry } from '../../../src/core/entries/entry.js'
import { planImports, type PlanContext } from '../../../src/core/plan/plan-imports.js'
import type { ManifestRead } from '../../../src/core/registry/manifest-info.js'
import type { ManifestReaders } from '../../../src/core/resolve/manifest-readers.js'
import type { ResolvedEntry } from '../../../src/core/resolve/source-access.js'
import { digestOf, entryOf, holding, registryInfo, tableReaders, type TableReaders } from './fakes.js'

const TARGET = registryInfo('prodacr')
const SOURCE = digestOf('a')
const OTHER = digestOf('b')

const resolved = (fields: Partial<Entry>): ResolvedEntry => {
  const entry = entryOf(fields)
  return { entry, reference: entry.reference, access: { kind: 'registryUri' }, target: TARGET }
}

/** Plans one entry whose source holds SOURCE, with the target tags as given; returns the plan and the reads. */
async function planOne(
  fields: Partial<Entry>,
  options: { skipUnchanged: boolean; dryRun?: boolean; source?: ManifestRead },
  targets: Record<string, ManifestRead> = {}
) {
  const readers: TableReaders = tableReaders(options.source ?? holding(SOURCE), targets)
  const context: PlanContext = {
    readers,
    skipUnchanged: options.skipUnchanged,
    dryRun: options.dryRun ?? false
  }
  const [plan] = await planImports([resolved(fields)], context)
  return { plan, readers }
}

describe('skip-unchanged', () => {
  it('leaves an entry whose every target tag already holds the source digest', async () => {
    const { plan } = await planOne(
      { targetTags: ['app:1.27', 'app:stable'] },
      { skipUnchanged: true },
      { 'app:1.27': holding(SOURCE), 'app:stable': holding(SOURCE) }
    )
    expect(plan.decision).toEqual({ kind: 'unchanged' })
  })

  it('always imports an entry with an untagged copy, even when every target tag holds the digest', async () => {
    const { plan } = await planOne(
      { targetTags: ['app:1.27'], untaggedRepositories: ['archive/app'] },
      { skipUnchanged: true },
      { 'app:1.27': holding(SOURCE) }
    )
    expect(plan.decision).toEqual({ kind: 'import' })
  })

  it('imports an entry that has only untagged copies', async () => {
    const { plan } = await planOne(
      { targetTags: [], untaggedRepositories: ['archive/app'] },
      { skipUnchanged: true }
    )
    expect(plan.decision).toEqual({ kind: 'import' })
  })

  it('imports when one target tag differs, saying which tags could not be read', async () => {
    const { plan } = await planOne(
      { targetTags: ['app:1.27', 'app:stable'] },
      { skipUnchanged: true },
      { 'app:1.27': holding(SOURCE), 'app:stable': { kind: 'unreadable', reason: 'HTTP 403' } }
    )
    expect(plan.decision).toEqual({
      kind: 'import',
      why: 'Not skipped as unchanged: app:stable could not be read'
    })
  })

  it('imports a tag that does not exist yet without a reason to print', async () => {
    const { plan } = await planOne({}, { skipUnchanged: true })
    expect(plan.decision).toEqual({ kind: 'import' })
    expect(plan.targetsBefore.get('app:1.27')?.kind).toBe('not-found')
  })

  it('imports a source whose digest cannot be read, and says why it was not skipped', async () => {
    const { plan, readers } = await planOne(
      {},
      { skipUnchanged: true, source: { kind: 'unreadable', reason: 'HTTP 429' } },
      { 'app:1.27': holding(SOURCE) }
    )
    expect(plan.decision).toEqual({
      kind: 'import',
      why: 'Not skipped as unchanged: the source digest could not be read'
    })
    // Without a digest there is nothing to compare the targets with: what they hold (read beside the source,
    // before its answer came) is left out of the plan.
    expect(readers.targetReads).toEqual(['app:1.27'])
    expect(plan.targetsBefore.size).toBe(0)
  })
})

describe('what the plan reads', () => {
  it('reads no target tag when neither skipping unchanged nor in a dry run', async () => {
    const { plan, readers } = await planOne(
      { targetTags: ['app:1.27', 'app:stable'] },
      { skipUnchanged: false }
    )
    expect(readers.sourceReads).toEqual(['1.27'])
    expect(readers.targetReads).toEqual([])
    expect(plan.targetsBefore.size).toBe(0)
    expect(plan.decision).toEqual({ kind: 'import' })
  })

  it('reads every target tag in a dry run with skip-unchanged off, to tell the real outcome', async () => {
    const { plan, readers } = await planOne(
      { targetTags: ['app:1.27', 'app:stable'] },
      { skipUnchanged: false, dryRun: true },
      { 'app:stable': holding(OTHER) }
    )
    expect([...readers.targetReads].sort()).toEqual(['app:1.27', 'app:stable'])
    expect([...plan.targetsBefore.keys()].sort()).toEqual(['app:1.27', 'app:stable'])
    // What the dry run found is what a real run would meet: the NoForce conflict.
    expect(plan.decision.kind).toBe('fail')
  })
})

describe('a NoForce target tag that holds another image', () => {
  const conflict = `Target prodacr.azurecr.io/app:1.27 already exists and holds ${OTHER.slice(0, 19)}, not the source's ${SOURCE.slice(0, 19)}. A tag that holds another image is not overwritten without force; use force: true to overwrite it.`

  it.each([true, false])(
    'fails without force, naming the tag and the fix (skip-unchanged %s)',
    async (skip) => {
      const { plan } = await planOne(
        {},
        { skipUnchanged: skip, dryRun: !skip },
        { 'app:1.27': holding(OTHER) }
      )
      expect(plan.decision).toEqual({ kind: 'fail', error: conflict })
    }
  )

  it.each([true, false])('is imported with force (skip-unchanged %s)', async (skip) => {
    const { plan } = await planOne(
      { force: true },
      { skipUnchanged: skip, dryRun: !skip },
      { 'app:1.27': holding(OTHER) }
    )
    expect(plan.decision).toEqual({ kind: 'import' })
  })
})

describe('a source that is not there', () => {
  it('fails the entry with what the registry said and what to check, whatever the targets hold', async () => {
    const { plan } = await planOne(
      {},
      {
        skipUnchanged: true,
        source: { kind: 'not-found', detail: 'docker.io/library/nginx:1.27: manifest unknown' }
      }
    )
    expect(plan.decision).toEqual({
      kind: 'fail',
      error:
        'Source docker.io/library/nginx:1.27 was not found (docker.io/library/nginx:1.27: manifest unknown). Check the repository and the tag or digest.'
    })
    expect(plan.targetsBefore.size).toBe(0)
  })

  it('a failure from an earlier stage fails the entry as it is, reading nothing', async () => {
    const readers = tableReaders(holding(SOURCE))
    const [plan] = await planImports([{ ...resolved({}), failure: 'The tags could not be listed. Retry.' }], {
      readers,
      skipUnchanged: true,
      dryRun: false
    })
    expect(plan.decision).toEqual({ kind: 'fail', error: 'The tags could not be listed. Retry.' })
    expect([...readers.sourceReads, ...readers.targetReads]).toEqual([])
  })
})

describe('the order of the reads', () => {
  it("reads the target tags beside the source, not after its answer: the two sides' chains overlap", async () => {
    // The source answers only once a target tag was asked for: planned one after the other, this never ends.
    let targetAsked: () => void = () => undefined
    const asked = new Promise<void>((resolve) => (targetAsked = resolve))
    const base = tableReaders(holding(SOURCE), { 'app:1.27': holding(SOURCE) })
    const readers: ManifestReaders = {
      ...base,
      readSource: async (source) => {
        await asked
        return base.readSource(source)
      },
      readTargetDigest: async (...args) => {
        targetAsked()
        return base.readTargetDigest(...args)
      }
    }
    const [plan] = await planImports([resolved({})], { readers, skipUnchanged: true, dryRun: false })
    expect(plan.decision).toEqual({ kind: 'unchanged' })
  })
})
