// `shard: i/n`: n jobs divide the whole batch with no overlap and no gap, and an entry's shard depends only on
// the entry (its normalised source and sorted targets), so adding an entry moves no other entry.
import { describe, expect, it } from '@jest/globals'
import { resolveCloud } from '../../src/core/cloud/clouds.js'
import type { Entry } from '../../src/core/entries/entry.js'
import { describeShard, selectShard, shardOf } from '../../src/core/entries/shard.js'
import { readEntries } from '../../src/core/pipeline.js'
import type { Shard } from '../../src/core/request/step-request.js'
import { stepRequest } from './step-request.js'

const cloud = resolveCloud({})

const request = stepRequest

/** `count` distinct source lines, each with its own target. */
const lines = (count: number, prefix = 'team/app'): string[] =>
  Array.from(
    { length: count },
    (_, i) => `${prefix}-${i}:1.${i} => mirror/${prefix.replace('/', '-')}-${i}:1.${i}`
  )

const written = (entries: Entry[]): string[] => entries.map((e) => e.written)
const entriesOf = (sourceLines: string[], shard?: Shard) =>
  readEntries(request({ sourceLines, shard }), cloud)

describe('shards', () => {
  it('1/3, 2/3 and 3/3 together hold the whole list, each entry once, each slice in list order', () => {
    const list = lines(30)
    const slices = [1, 2, 3].map((index) => entriesOf(list, { index, count: 3 }))
    const kept = slices.flatMap((slice) => written(slice.entries))
    expect([...kept].sort()).toEqual([...list.map((l) => l.split(' => ')[0])].sort())
    expect(new Set(kept).size).toBe(list.length)
    for (const slice of slices) {
      const positions = written(slice.entries).map((source) =>
        list.findIndex((l) => l.startsWith(`${source} `))
      )
      expect(positions).toEqual([...positions].sort((a, b) => a - b))
      expect(slice.entries.length).toBeGreaterThan(0)
    }
    expect(slices.map((s) => s.shard)).toEqual(
      slices.map((s, i) => ({ index: i + 1, count: 3, kept: s.entries.length, total: 30 }))
    )
  })

  it('adding or removing entries moves no other entry to another shard', () => {
    const list = lines(40)
    const shardsOf = (sourceLines: string[]) =>
      new Map(entriesOf(sourceLines).entries.map((e) => [e.written, shardOf(e, 4)]))
    const before = shardsOf(list)
    const grown = shardsOf([
      ...lines(5, 'new/first'),
      ...list.slice(0, 20),
      ...lines(7, 'new/middle'),
      ...list.slice(20)
    ])
    const shrunk = shardsOf(list.filter((_, i) => i % 3 !== 0))
    for (const [source, shard] of grown) if (before.has(source)) expect(shard).toBe(before.get(source))
    for (const [source, shard] of shrunk) expect(shard).toBe(before.get(source))
  })

  it('depends on the normalised source and the set of targets only: not on spelling, target order or force', () => {
    const one = (line: string, force = false) =>
      readEntries(request({ sourceLines: [line], force }), cloud).entries[0]
    const b = one('docker.io/library/nginx:latest => web:2, web:3')
    const sameEntry = one('nginx => prodacr.azurecr.io/web:3, web:2', true)
    for (const count of [2, 3, 7, 100]) expect(shardOf(sameEntry, count)).toBe(shardOf(b, count))
    const a = one('nginx => web:1, web:2')
    // Another set of targets is another entry (and here, with 1000 shards, another shard).
    expect(shardOf(a, 1000)).not.toBe(shardOf(b, 1000))
  })

  it('spreads a long list about evenly', () => {
    const { entries } = entriesOf(lines(400))
    const sizes = [1, 2, 3, 4].map((index) => selectShard(entries, { index, count: 4 }).entries.length)
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(400)
    for (const size of sizes) expect(size).toBeGreaterThan(70)
  })

  it('1/1 keeps everything; a shard may be empty', () => {
    const list = lines(3)
    expect(written(entriesOf(list, { index: 1, count: 1 }).entries)).toEqual(written(entriesOf(list).entries))
    const ofTen = [...Array(10).keys()].map(
      (i) => entriesOf(list, { index: i + 1, count: 10 }).entries.length
    )
    expect(ofTen.filter((size) => size === 0).length).toBeGreaterThanOrEqual(7)
  })

  it('checks the whole list in every job: a mistake in any entry fails every shard', () => {
    const list = [...lines(10), 'Upper:1']
    for (const index of [1, 2]) {
      expect(() => entriesOf(list, { index, count: 2 })).toThrow(/Malformed source reference 'Upper:1'/)
    }
  })

  it('says which shard and how many entries it kept', () => {
    expect(describeShard({ index: 2, count: 4, kept: 13, total: 50 })).toBe('Shard 2/4: 13 of 50 entries')
    expect(describeShard({ index: 1, count: 2, kept: 0, total: 1 })).toBe('Shard 1/2: 0 of 1 entry')
    expect(entriesOf(lines(3)).shard).toBeUndefined()
  })
})
