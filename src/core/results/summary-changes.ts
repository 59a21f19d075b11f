// The summary opens with what the run changed: the question a nightly refresh is read for ("which base images
// moved?"), answered before the counts and the table. Same facts as the `changed` output, tag by tag.
import type { ImportResult } from '../execute/import-result.js'
import { shortDigest } from '../util/digest.js'
import { cell } from './summary-text.js'

/** More than this many changed tags are counted, not listed: the table below has every row. */
const LISTED = 20

export function changesSection(results: ImportResult[], dryRun: boolean): string[] {
  const changed = results.flatMap((result) => result.changed ?? [])
  if (changed.length === 0) return []
  const verb = dryRun ? 'would change' : 'changed'
  const lines = changed.slice(0, LISTED).map(({ target, digest, previous }) => {
    const was = previous ? `was \`${shortDigest(previous)}\`` : 'new tag'
    return `- \`${cell(target)}\` → \`${shortDigest(digest)}\` (${was})`
  })
  const more = changed.length > LISTED ? [`- … and ${changed.length - LISTED} more (see the table)`] : []
  const count = `${changed.length} tag${changed.length === 1 ? '' : 's'}`
  return [`**${count} ${verb}:**`, '', ...lines, ...more, '']
}
