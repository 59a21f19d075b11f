// Noticing an import land on the data plane: only a change proves it, an unreadable target leaves it to ARM,
// and the reads of a whole batch share a budget sized to the registry's SKU.
import { describe, expect, it } from '@jest/globals'
import { prepareLandingWatch } from '../../src/core/execute/landing-watch.js'
import { ReadBudget } from '../../src/core/registry/read-budget.js'
import type { TargetRead, TargetTagReader } from '../../src/core/registry/target-tag-reader.js'
import type { PlannedImport } from '../../src/core/plan/planned-import.js'
import type { ManifestRead } from '../../src/core/registry/manifest-info.js'

const [SOURCE, OLD] = ['a', 'b'].map((c) => `sha256:${c.repeat(64)}`)
const read = (digest: string): ManifestRead => ({ kind: 'read', manifest: { digest, platforms: [] } })

function plan(
  targetTags: string[],
  before: Record<string, ManifestRead>,
  untagged: string[] = []
): PlannedImport {
  return {
    entry: { targetTags, untaggedRepositories: untagged },
    reference: { registry: 'docker.io', repository: 'library/app', tag: '1' },
    source: read(SOURCE),
    targetsBefore: new Map(Object.entries(before))
  } as unknown as PlannedImport
}

/** A reader whose answers for each `repo:tag` (or `repo@digest`) come from `script`, one per read (the last repeats). */
function scriptedReader(script: Record<string, TargetRead[]>) {
  const reads: string[] = []
  const next = (key: string): Promise<TargetRead> => {
    reads.push(key)
    const answers = script[key]
    return Promise.resolve(answers.length > 1 ? answers.shift()! : answers[0])
  }
  const reader: TargetTagReader = {
    tag: (repository, tag) => next(`${repository}:${tag}`),
    manifest: (repository, digest) => next(`${repository}@${digest}`)
  }
  return { reader, reads }
}

const budget = () => new ReadBudget(1000, 1000)
const signal = () => AbortSignal.timeout(5000)

describe('prepareLandingWatch', () => {
  it('sees the import land once every target tag serves the source digest', async () => {
    const { reader } = scriptedReader({
      'app:1': [{ kind: 'absent' }, { kind: 'digest', digest: SOURCE }],
      'app:2': [
        { kind: 'digest', digest: OLD },
        { kind: 'digest', digest: OLD },
        { kind: 'digest', digest: SOURCE }
      ]
    })
    const watch = await prepareLandingWatch(
      plan(['app:1', 'app:2'], { 'app:1': { kind: 'not-found', detail: '' }, 'app:2': read(OLD) }),
      reader,
      budget()
    )
    expect(await watch!.landed(signal())).toBe(true)
  })

  it('leaves it to ARM when a tag already served the digest before the import', async () => {
    const { reader, reads } = scriptedReader({})
    expect(
      await prepareLandingWatch(plan(['app:1'], { 'app:1': read(SOURCE) }), reader, budget())
    ).toBeUndefined()
    expect(reads).toEqual([])
  })

  it('reads what the plan did not (skip-unchanged off), and keeps it as the before', async () => {
    const { reader, reads } = scriptedReader({ 'app:1': [{ kind: 'digest', digest: OLD }] })
    const watch = await prepareLandingWatch(plan(['app:1'], {}), reader, budget())
    expect(reads).toEqual(['app:1'])
    expect(watch!.targetsBefore.get('app:1')).toEqual(read(OLD))
  })

  it('gives up (ARM decides) when the data plane cannot be read', async () => {
    const unreadable = scriptedReader({ 'app:1': [{ kind: 'unreadable' }] })
    expect(await prepareLandingWatch(plan(['app:1'], {}), unreadable.reader, budget())).toBeUndefined()
    const later = scriptedReader({ 'app:1': [{ kind: 'absent' }, { kind: 'unreadable' }] })
    const watch = await prepareLandingWatch(plan(['app:1'], {}), later.reader, budget())
    expect(await watch!.landed(signal())).toBe(false)
  })

  it('watches untagged repositories for the digest, unless they held it before', async () => {
    const key = `mirror@${SOURCE}`
    const fresh = scriptedReader({
      [key]: [{ kind: 'absent' }, { kind: 'absent' }, { kind: 'digest', digest: SOURCE }]
    })
    const watch = await prepareLandingWatch(plan([], {}, ['mirror']), fresh.reader, budget())
    expect(await watch!.landed(signal())).toBe(true)
    const held = scriptedReader({ [key]: [{ kind: 'digest', digest: SOURCE }] })
    expect(await prepareLandingWatch(plan([], {}, ['mirror']), held.reader, budget())).toBeUndefined()
  })
})

describe('ReadBudget', () => {
  it('takes half of the SKU’s reads a minute (an unknown SKU gets Basic’s)', () => {
    expect(ReadBudget.forSku('Basic').perSecond).toBeCloseTo(1000 / 60 / 2)
    expect(ReadBudget.forSku('Standard').perSecond).toBeCloseTo(3000 / 60 / 2)
    expect(ReadBudget.forSku('Premium').perSecond).toBeCloseTo(10000 / 60 / 2)
    expect(ReadBudget.forSku(undefined).perSecond).toBeCloseTo(1000 / 60 / 2)
  })

  it('waits for the bucket to refill', async () => {
    let now = 0
    const limited = new ReadBudget(100, 2, () => now)
    await limited.take(2)
    const waiting = limited.take(1)
    let done = false
    void waiting.then(() => (done = true))
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(done).toBe(false)
    now += 10
    await waiting
  })
})
