// A tag pattern: which tags of a source repository to mirror. Written as `tags:` in the images file, or as the
// one-line `tags` input for source lines without a tag. Everything is checked here, before any request: a range
// node-semver cannot read or a regex that does not compile is one line naming the field. Regexes are matched by
// RE2 (re2js), in time linear in the tag: a listed tag chosen by the registry can never stall the step on a
// pattern such as '(a+)+$'. A pattern RE2 cannot match that way (a backreference, lookaround) is refused here.
import { RE2JS } from 're2js'
import semver from 'semver'
import { UserError } from '../errors/user-error.js'
import { safeText } from '../log/safe-text.js'

export interface TagPattern {
  /** A node-semver range (`>=1.27.0 <1.28.0`, `1.27.x`, `^22`). */
  semver?: string
  /** A regex matched against the whole tag. */
  regex?: string
  /** A regex: a tag it finds a match in is left out. */
  exclude?: string
  /** Keep only the N highest versions among the matches. */
  newest?: number
  /** Let `semver` match prereleases (node-semver's includePrerelease); off: only when the range names one. */
  prerelease: boolean
}

export const TAG_PATTERN_FIELDS = ['semver', 'regex', 'exclude', 'newest', 'prerelease'] as const

export const TAG_PATTERN_HINT =
  "give semver (a range such as '>=1.27.0 <1.28.0') or regex (matched against the whole tag), and optionally exclude, newest, prerelease"

/** Checks a pattern's values; `where` ("images.yaml line 4", "Input 'tags'") goes in front of each message. */
export function checkTagPattern(pattern: TagPattern, where: string): TagPattern {
  const fail = (message: string, hint: string): never => {
    throw new UserError(`${where}: ${message}`, hint)
  }
  if (pattern.semver === undefined && pattern.regex === undefined) {
    fail('a tag pattern needs semver or regex', TAG_PATTERN_HINT)
  }
  if (pattern.semver !== undefined && semver.validRange(pattern.semver) === null) {
    fail(
      `'${pattern.semver}' is not a semver range`,
      "write a node-semver range, e.g. '>=1.27.0 <1.28.0', '1.27.x' or '^22' (quote it in YAML)"
    )
  }
  for (const name of ['regex', 'exclude'] as const) {
    const text = pattern[name]
    if (text !== undefined && compileProblem(text) !== undefined) {
      fail(
        `${name} '${text}' is not a valid regular expression (${compileProblem(text)})`,
        "write a JavaScript regular expression, e.g. '^1\\.27\\.\\d+$' (single quotes in YAML keep the backslashes)"
      )
    }
    const linear = text === undefined ? undefined : re2Problem(text)
    if (linear !== undefined) {
      fail(
        `${name} '${text}' cannot be matched in linear time (${linear})`,
        'tags are matched with RE2 syntax: write the pattern without backreferences (\\1) and lookaround ((?=, (?!, (?<=, (?<!), e.g. leave out with exclude what a tag must not contain'
      )
    }
  }
  if (pattern.newest !== undefined && (!Number.isInteger(pattern.newest) || pattern.newest < 1)) {
    fail(`newest must be a whole number of 1 or more, not ${pattern.newest}`, 'e.g. newest: 3')
  }
  return pattern
}

/** A test that `regex` matches the whole tag (as `^(?:regex)$` would), in linear time. */
export function wholeTag(regex: string): (tag: string) => boolean {
  const compiled = RE2JS.compile(regex)
  return (tag) => compiled.matches(tag)
}

/** A test that `regex` finds a match anywhere in the tag, in linear time. */
export function foundInTag(regex: string): (tag: string) => boolean {
  const compiled = RE2JS.compile(regex)
  return (tag) => compiled.matcher(tag).find()
}

/**
 * Why RE2 cannot compile a pattern: "invalid escape sequence: `\1`"; undefined when it can. Every pattern the step
 * matches against text from outside (listed tags, certificate identities) is compiled by RE2, so it runs in time
 * linear in that text.
 */
export function re2Problem(text: string): string | undefined {
  try {
    RE2JS.compile(text)
    return undefined
  } catch (err) {
    return safeText((err as Error).message.replace(/^error parsing regexp: /, '')).slice(0, 120)
  }
}

/** Why JavaScript cannot compile the pattern; the message a user knows from their own regexes. */
function compileProblem(text: string): string | undefined {
  try {
    new RegExp(`^(?:${text})$`)
    return undefined
  } catch (err) {
    // V8's message repeats the pattern: keep only its reason ("Unterminated group").
    return (err as Error).message.replace(/^.*: /, '')
  }
}

/**
 * The `tags` input: `name: value` fields separated by commas, e.g.
 *   semver: >=1.27.0 <1.28.0, exclude: -alpine$, newest: 2
 * A comma splits only before the next field's name, so a regex may hold commas (`\d{1,3}`).
 */
export function parseTagsInput(text: string): TagPattern | undefined {
  const line = text.trim()
  if (!line) return undefined
  const where = "Input 'tags'"
  if (/[\r\n]/.test(line)) {
    throw new UserError(`${where} must be one line`, 'write the fields on one line, separated by commas')
  }
  const fieldStart = new RegExp(`,\\s*(?=(?:${TAG_PATTERN_FIELDS.join('|')})\\s*:)`)
  const fields = new Map<string, string>()
  for (const part of line.split(fieldStart)) {
    const match = /^([A-Za-z-]+)\s*:\s*(.*)$/.exec(part.trim())
    const name = match?.[1]
    if (!match || !name || !(TAG_PATTERN_FIELDS as readonly string[]).includes(name)) {
      throw new UserError(
        `${where}: '${part.trim().slice(0, 60)}' is not a field of a tag pattern`,
        `write name: value fields separated by commas; the fields are ${TAG_PATTERN_FIELDS.join(', ')}, e.g. semver: >=1.27.0 <1.28.0, exclude: -alpine$`
      )
    }
    if (fields.has(name)) throw new UserError(`${where}: '${name}' is given twice`, 'give each field once')
    const value = match[2].trim()
    if (!value) throw new UserError(`${where}: '${name}' has no value`, TAG_PATTERN_HINT)
    fields.set(name, value)
  }
  return checkTagPattern(
    {
      semver: fields.get('semver'),
      regex: fields.get('regex'),
      exclude: fields.get('exclude'),
      newest: numberField(fields.get('newest'), where),
      prerelease: booleanField(fields.get('prerelease'), where)
    },
    where
  )
}

function numberField(text: string | undefined, where: string): number | undefined {
  if (text === undefined) return undefined
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    throw new UserError(
      `${where}: newest must be a whole number of 1 or more, not '${text}'`,
      'e.g. newest: 3'
    )
  }
  return Number(text)
}

function booleanField(text: string | undefined, where: string): boolean {
  if (text === undefined || /^false$/i.test(text)) return false
  if (/^true$/i.test(text)) return true
  throw new UserError(`${where}: prerelease must be true or false, not '${text}'`, 'write true or false')
}
