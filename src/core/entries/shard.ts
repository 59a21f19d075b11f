// `shard: i/n`: this job's stable slice of all entries, so that n jobs of a matrix divide a long list with no
// overlap and no gap. An entry's shard depends only on the entry itself (a hash of its source and targets), never
// on its position: adding or removing an entry moves no other entry to another shard, so a job's slice, and
// what it imports, stays the same from one run to the next.
import { createHash } from 'node:crypto'
import { fullReference } from '../reference/image-reference.js'
import type { Shard } from '../request/step-request.js'
import type { Entry } from './entry.js'

/** The slice a job kept: which shard, and how many entries of how many. */
export interface ShardSlice extends Shard {
  kept: number
  total: number
}

/** The shard (1-based) of `entry` among `count`: sha256 of its normalised source and sorted targets, mod count. */
export function shardOf(entry: Entry, count: number): number {
  const identity = JSON.stringify([
    fullReference(entry.reference),
    [...entry.targetTags].sort(),
    [...entry.untaggedRepositories].sort(),
    // Only a pattern entry has more to it: the other entries keep the shard they always had.
    ...(entry.tagPattern ? [entry.tagPattern] : [])
  ])
  const hash = createHash('sha256').update(identity).digest()
  // 48 bits: far more than any count, so the remainder is as even as the hash.
  return (hash.readUIntBE(0, 6) % count) + 1
}

/** The entries of `shard`, in their order, and what was kept of how many. */
export function selectShard(entries: Entry[], shard: Shard): { entries: Entry[]; slice: ShardSlice } {
  const kept = entries.filter((entry) => shardOf(entry, shard.count) === shard.index)
  return { entries: kept, slice: { ...shard, kept: kept.length, total: entries.length } }
}

/** One log line: "Shard 2/4: 13 of 50 entries". */
export function describeShard(slice: ShardSlice): string {
  return `Shard ${slice.index}/${slice.count}: ${slice.kept} of ${slice.total} ${slice.total === 1 ? 'entry' : 'entries'}`
}
