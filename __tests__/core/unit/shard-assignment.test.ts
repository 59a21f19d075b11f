// The shard of each entry is part of what users rely on: a matrix of n jobs splits its images file by it, and a
// release that moved entries to other shards would make jobs import what another job imported last run (and
// lock it twice, or race it). So today's assignment of a few named entries is pinned here, exactly: any change
// to what the hash reads (the normalised source, the sorted targets, the tag pattern) or to how the hash becomes
// a shard must show up as a failed test, and be a decision, not an accident.
import { describe, expect, it } from '@jest/globals'
import { resolveCloud } from '../../../src/core/cloud/clouds.js'
import { selectShard, shardOf } from '../../../src/core/entries/shard.js'
import { readEntries } from '../../../src/core/pipeline.js'
import type { StepRequest } from '../../../src/core/request/step-request.js'
import { stepRequest } from '../step-request.js'

const cloud = resolveCloud({})
const entriesOf = (overrides: Partial<StepRequest>) => readEntries(stepRequest(overrides), cloud).entries

const LINES = [
  'nginx:1.27',
  'redis:7 => cache/redis:7, cache/redis:stable',
  'mcr.microsoft.com/dotnet/runtime:8.0',
  `ghcr.io/contoso/api@sha256:${'a'.repeat(64)} => api:1.0`,
  'busybox:1.36 => base/busybox:1.36',
  'quay.io/prometheus/node-exporter:v1.8.0',
  'alpine:3.20',
  'docker.io/library/postgres:16 => db/postgres:16'
]

/** Each line's shard of 2 and of 4, as computed by the release this test was written against. */
const PINNED: [string, number, number][] = [
  ['nginx:1.27', 2, 4],
  ['redis:7', 2, 4],
  ['mcr.microsoft.com/dotnet/runtime:8.0', 2, 4],
  [`ghcr.io/contoso/api@sha256:${'a'.repeat(64)}`, 2, 4],
  ['busybox:1.36', 2, 2],
  ['quay.io/prometheus/node-exporter:v1.8.0', 2, 4],
  ['alpine:3.20', 1, 3],
  ['docker.io/library/postgres:16', 2, 2]
]

describe('the shard assignment', () => {
  it('of source lines is what it was: a shard of 2 and of 4 for each named entry', () => {
    const entries = entriesOf({ sourceLines: LINES })
    expect(entries.map((e) => [e.written, shardOf(e, 2), shardOf(e, 4)])).toEqual(PINNED)
  })

  it('of an entry with an untagged copy only is what it was', () => {
    const [entry] = entriesOf({ sourceLines: ['nginx:1.27'], repositories: ['archive/nginx'] })
    expect([shardOf(entry, 2), shardOf(entry, 4)]).toEqual([2, 2])
  })

  it('of a tag-pattern entry is what it was (its pattern is part of what is hashed)', () => {
    const [entry] = entriesOf({
      sourceLines: ['nginx => mirror/nginx'],
      tags: { semver: '>=1.27.0', prerelease: false }
    })
    expect([shardOf(entry, 2), shardOf(entry, 4)]).toEqual([1, 1])
    // The same source and target repository with another pattern is another entry, in another shard here.
    const [other] = entriesOf({
      sourceLines: ['nginx => mirror/nginx'],
      tags: { regex: '1\\.27.*', prerelease: false }
    })
    expect([shardOf(other, 2), shardOf(other, 4)]).toEqual([2, 2])
  })

  it('selects, for shard 3/4 and 1/2, exactly the pinned entries in list order', () => {
    const entries = entriesOf({ sourceLines: LINES })
    const written = (index: number, count: number) =>
      selectShard(entries, { index, count }).entries.map((e) => e.written)
    expect(written(3, 4)).toEqual(['alpine:3.20'])
    expect(written(1, 2)).toEqual(['alpine:3.20'])
    expect(written(2, 4)).toEqual(['busybox:1.36', 'docker.io/library/postgres:16'])
  })
})
