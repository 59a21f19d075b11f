// Reads a YAML document (JSON is YAML too) field by field, keeping the line of every value: each mistake in a
// file the user wrote becomes one message that names the file, the line and the field. Anchors and aliases
// (&name, *name) are followed, so a file may share a block between entries: each alias is resolved once, in one
// walk of the document (yaml's own resolve walks the whole document for every alias), and there are at most
// MAX_ALIASES. YAML tags (`!secret`, `!!binary`) are refused: they would change what a value is behind the
// file's back (an unknown tag is silently read as text).
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  visit,
  type Alias,
  type Document,
  type Node
} from 'yaml'
import { UserError } from '../errors/user-error.js'
import { safeText } from '../log/safe-text.js'

/** A value with the place it was written, for messages: "images.yaml line 14". */
export interface Located<T> {
  value: T
  where: string
}

/** One `name: value` of a map; `value` is null when nothing follows the colon. */
export interface Field {
  name: string
  value: Node | null
  /** Where the field is written (its key). */
  where: string
}

const YAML_HINT = 'fix the YAML at that line (indentation, quotes, brackets); JSON is YAML too'

/** Far more than a file needs to share blocks (one per entry of a fleet), far less than an alias bomb. */
export const MAX_ALIASES = 10_000

export class YamlFields {
  private constructor(
    private readonly fileName: string,
    private readonly document: Document.Parsed,
    private readonly lines: LineCounter,
    /** Each alias's node: the anchor of its name written last before it. */
    private readonly anchored: Map<Alias, Node | undefined>
  ) {}

  /** Parses `text`; the first syntax error is a UserError naming `fileName` and the line. */
  static parse(text: string, fileName: string): YamlFields {
    const lines = new LineCounter()
    // prettyErrors off: our message names the line; yaml's code frame would make it several lines.
    const document = parseDocument(text, { lineCounter: lines, prettyErrors: false })
    const [error] = document.errors
    if (error) {
      const where = `${fileName} line ${lines.linePos(error.pos[0]).line}`
      throw new UserError(`${where}: ${syntaxProblem(error.code, error.message, text, error.pos)}`, YAML_HINT)
    }
    const where = (offset: number) => `${fileName} line ${lines.linePos(offset).line}`
    return new YamlFields(fileName, document, lines, resolveAliases(document, where))
  }

  /** The document's top node, or null for an empty document. */
  get root(): Node | null {
    return this.follow(this.document.contents, 0)
  }

  /** "images.yaml line N" for a node (its first character), or for the offset `near` when there is none. */
  where(node: Node | null, near = 0): string {
    const offset = node?.range?.[0] ?? near
    return `${this.fileName} line ${this.lines.linePos(offset).line}`
  }

  /** Where a field's value is written; where its key is, when nothing follows the colon. */
  whereValue(field: Field): string {
    return field.value?.range ? this.where(field.value) : field.where
  }

  fail(where: string, message: string, hint: string): never {
    throw new UserError(`${where}: ${message}`, hint)
  }

  /**
   * The fields of a map, by name. `what` names the map in messages ("an entry of images"); a field not in
   * `known` is refused with the list of known fields, so a typo (or a field of a newer version) is one clear line.
   */
  fields(
    node: Node | null,
    what: string,
    known: readonly string[],
    unknownHint?: UnknownHint
  ): Map<string, Field> {
    if (!isMap(node))
      this.fail(this.where(node), `${what} must be a map of fields, not ${kindOf(node)}`, knownList(known))
    const fields = new Map<string, Field>()
    for (const pair of node.items) {
      const key = pair.key as Node | null
      const name = isScalar(key) ? String(key.value) : undefined
      const where = this.where(key, node.range?.[0])
      if (name === undefined) this.fail(where, `${what} has a key that is not a plain name`, knownList(known))
      if (!known.includes(name)) {
        // Only a name that looks like a field is quoted: another file's key may be a line of it (/etc/shadow).
        const shown = /^[\w$-]{1,40}$/.test(name) ? ` '${name}'` : ''
        this.fail(where, `unknown field${shown} in ${what}`, unknownHint?.(name) ?? knownList(known))
      }
      fields.set(name, { name, value: this.follow(pair.value as Node | null, key?.range?.[0] ?? 0), where })
    }
    return fields
  }

  /**
   * Every `name: value` of a map whose names the user chooses (the policies under `trust:`), in file order. Each
   * name must be plain text matching `pattern`; `what` names the map in messages ("trust:").
   */
  named(node: Node | null, what: string, pattern: RegExp, hint: string): Field[] {
    if (!isMap(node)) this.fail(this.where(node), `${what} must be a map of names, not ${kindOf(node)}`, hint)
    return node.items.map((pair) => {
      const key = pair.key as Node | null
      const where = this.where(key, node.range?.[0])
      // A name YAML read as something else (true, 1.10) would not be what was written.
      const name = isScalar(key) && typeof key.value === 'string' ? key.value : undefined
      if (name === undefined || !pattern.test(name)) {
        const shown = name !== undefined && /^[\w$.-]{1,40}$/.test(name) ? ` '${name}'` : ''
        this.fail(where, `${what} has a name${shown} that is not allowed`, hint)
      }
      return { name, value: this.follow(pair.value as Node | null, key?.range?.[0] ?? 0), where }
    })
  }

  /**
   * Non-empty text that may span lines (an inline PEM). Never quoted in a message: it may be a misplaced secret,
   * and it would not be one line.
   */
  block(field: Field, hint: string): Located<string> {
    const value = isScalar(field.value) ? field.value.value : undefined
    if (typeof value !== 'string' || !value.trim()) {
      this.fail(this.whereValue(field), `'${field.name}' must be text, not ${kindOf(field.value)}`, hint)
    }
    return { value: value.trim(), where: this.whereValue(field) }
  }

  /** A field written with nothing after the colon (`source:`), or `null` / `~`. */
  isEmpty(field: Field): boolean {
    return field.value === null || (isScalar(field.value) && field.value.value === null)
  }

  /** Non-empty text. Numbers and true/false are refused: YAML would have changed them (1.10 is 1.1). */
  text(field: Field, hint: string): Located<string> {
    const value = isScalar(field.value) ? field.value.value : undefined
    if (typeof value !== 'string' || !value.trim()) {
      // YAML reads 1.10 as a number (1.1) and yes as text: quotes keep what was written.
      const quote = typeof value === 'number' || typeof value === 'boolean' ? ': put it in quotes' : ''
      this.fail(
        this.whereValue(field),
        `'${field.name}' must be text, not ${kindOf(field.value)}${quote}`,
        hint
      )
    }
    // Every message that quotes a value must stay one line.
    if (/[\r\n]/.test(value.trim()))
      this.fail(this.whereValue(field), `'${field.name}' must be one line`, hint)
    return { value: value.trim(), where: this.whereValue(field) }
  }

  boolean(field: Field): boolean {
    const value = isScalar(field.value) ? field.value.value : undefined
    if (typeof value === 'boolean') return value
    // A short text is shown: yes/no/on/off are the usual mistake (YAML 1.2 reads them as text).
    const shown =
      typeof value === 'string' && value.length <= 20 ? `'${safeText(value)}'` : kindOf(field.value)
    return this.fail(
      this.whereValue(field),
      `'${field.name}' must be true or false, not ${shown}`,
      'write true or false'
    )
  }

  /** A whole number of at least 1. */
  integer(field: Field, hint: string): number {
    const value = isScalar(field.value) ? field.value.value : undefined
    if (typeof value === 'number' && Number.isInteger(value) && value >= 1) return value
    const shown = typeof value === 'number' ? String(value) : kindOf(field.value)
    return this.fail(
      this.whereValue(field),
      `'${field.name}' must be a whole number of 1 or more, not ${shown}`,
      hint
    )
  }

  /** One text or a list of texts. */
  texts(field: Field, hint: string): Located<string>[] {
    if (!isSeq(field.value)) return [this.text(field, hint)]
    return this.items(field).map((item) => this.text({ ...field, value: item }, hint))
  }

  /** The items of a list field. */
  items(field: Field): (Node | null)[] {
    if (!isSeq(field.value)) {
      this.fail(
        this.whereValue(field),
        `'${field.name}' must be a list, not ${kindOf(field.value)}`,
        'write it as a list of - items'
      )
    }
    const seq = field.value
    return seq.items.map((item) => this.follow(item as Node | null, seq.range?.[0] ?? 0))
  }

  /** The node an alias points at; an alias whose anchor is not defined before it is refused. */
  private follow(node: Node | null | undefined, near: number): Node | null {
    if (!node) return null
    if (!isAlias(node)) return node
    const target = this.anchored.get(node)
    if (!target) {
      this.fail(
        this.where(node, near),
        `the alias *${node.source} has no anchor &${node.source} before it`,
        YAML_HINT
      )
    }
    return target as Node
  }
}

/** The hint for an unknown field, when the field deserves a special one (else the list of known fields). */
export type UnknownHint = (name: string) => string | undefined

export function knownList(known: readonly string[]): string {
  return `the known fields are ${known.join(', ')}`
}

/** What a node is, in words, for "must be X, not Y" (never its value, which might be a misplaced secret). */
function kindOf(node: Node | null): string {
  if (node === null || (isScalar(node) && (node.value === null || node.value === ''))) return 'empty'
  if (isMap(node)) return 'a map'
  if (isSeq(node)) return 'a list'
  if (isScalar(node)) {
    if (typeof node.value === 'number' || typeof node.value === 'bigint') return 'a number'
    if (typeof node.value === 'boolean') return `${node.value}`
    return 'text'
  }
  return 'an unknown kind of value'
}

/**
 * One walk of the document: every alias with the node it stands for, and every YAML tag refused where it is
 * written. Anchors are taken in document order, so an alias gets the last anchor of its name before it, as YAML
 * says; one written after it is not found (follow() says so).
 */
function resolveAliases(
  document: Document.Parsed,
  where: (offset: number) => string
): Map<Alias, Node | undefined> {
  const anchors = new Map<string, Node>()
  const anchored = new Map<Alias, Node | undefined>()
  visit(document, (key, node, path) => {
    if (!node || isPair(node)) return
    const offset = (node as Node).range?.[0] ?? 0
    if (isAlias(node)) {
      if (anchored.size >= MAX_ALIASES) {
        throw new UserError(
          `${where(offset)}: the file has more than ${MAX_ALIASES} aliases (*name)`,
          'share values through defaults: instead of aliases, or split the file'
        )
      }
      anchored.set(node, anchors.get(node.source))
      return
    }
    const written = node as Node & { anchor?: string; tag?: string }
    if (written.tag) {
      const parent = path[path.length - 1]
      const field =
        key === 'value' && isPair(parent) && isScalar(parent.key)
          ? ` in '${safeText(String(parent.key.value)).slice(0, 60)}'`
          : ''
      // yaml names !!binary by its full name; the user wrote the short one.
      const short = written.tag.replace(/^tag:yaml\.org,2002:/, '!!')
      const tag = /^!{1,2}[\w-]{1,30}$/.test(short) ? ` ${short}` : ''
      throw new UserError(
        `${where(offset)}: the YAML tag${tag}${field} is not allowed`,
        'write the value itself, without a tag: an images file holds text, lists and maps only'
      )
    }
    if (written.anchor) anchors.set(written.anchor, written)
  })
  return anchored
}

/**
 * yaml's message for the first error, as one line. The file may not be an images file at all (a wrong path to a
 * file of secrets), so the message names the position only: yaml's text after a colon quotes the file.
 */
function syntaxProblem(code: string, message: string, text: string, pos: [number, number]): string {
  if (code === 'DUPLICATE_KEY') {
    const key = /^[^:\s]*/.exec(text.slice(pos[0]))?.[0] ?? ''
    return /^[\w$-]{1,40}$/.test(key) ? `field '${key}' is given twice` : 'a field is given twice'
  }
  if (code === 'MULTIPLE_DOCS') return 'the file holds more than one YAML document (---)'
  return `not valid YAML: ${safeText(message.split(': ')[0]).slice(0, 120)}`
}
