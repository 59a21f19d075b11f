// Which of a repository's tags a pattern keeps: those in the semver range or matching the regex (whole tag), less
// those `exclude` finds a match in; with `newest`, only the N highest versions of them. node-semver reads every
// version: a tag that is not one (an alias such as `latest`, `1.27`) can only match by regex.
import semver from 'semver'
import { tagProblem } from '../reference/grammar.js'
import { foundInTag, wholeTag, type TagPattern } from '../request/tag-pattern.js'

/**
 * The listed names that are tags. A registry chooses what it lists: a name outside the tag grammar (a newline and
 * `::error::`, `##vso[`, `$(…)`, `../`) would become a target tag and an output, so it is dropped, and counted.
 */
export function wellFormedTags(listed: readonly string[]): { tags: string[]; dropped: number } {
  const tags = listed.filter((tag) => typeof tag === 'string' && tagProblem(tag) === undefined)
  return { tags, dropped: listed.length - tags.length }
}

/** The matching tags, highest version first, then the tags that are not versions in name order. */
export function matchTags(tags: readonly string[], pattern: TagPattern): string[] {
  const regex = pattern.regex === undefined ? undefined : wholeTag(pattern.regex)
  const exclude = pattern.exclude === undefined ? undefined : foundInTag(pattern.exclude)
  const inRange = (tag: string): boolean =>
    pattern.semver !== undefined &&
    semver.valid(tag) !== null &&
    semver.satisfies(tag, pattern.semver, { includePrerelease: pattern.prerelease })
  const matched = [...new Set(tags)].filter(
    (tag) => (inRange(tag) || regex?.(tag) === true) && exclude?.(tag) !== true
  )
  const versions = matched.filter((tag) => semver.valid(tag) !== null).sort(semver.rcompare)
  const others = matched.filter((tag) => semver.valid(tag) === null).sort()
  // newest counts versions only: an alias the regex matched is kept, as the user named it.
  return [...(pattern.newest === undefined ? versions : versions.slice(0, pattern.newest)), ...others]
}

/** The pattern in words, for log lines: "semver '>=1.27.0 <1.28.0', exclude '-alpine$', newest 2". */
export function describePattern(pattern: TagPattern): string {
  return [
    pattern.semver !== undefined && `semver '${pattern.semver}'`,
    pattern.regex !== undefined && `regex '${pattern.regex}'`,
    pattern.exclude !== undefined && `exclude '${pattern.exclude}'`,
    pattern.newest !== undefined && `newest ${pattern.newest}`,
    pattern.prerelease && 'prereleases included'
  ]
    .filter(Boolean)
    .join(', ')
}
