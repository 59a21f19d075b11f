// Reads a YAML document (JSON is YAML too) field by field, keeping the line of every value: each mistake in a
// file the user wrote becomes one message that names the file, the line and the field. Anchors and aliases
// (&name, *name) are followed, so a file may share a block between entries.
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml'
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

export class YamlFields {
  private constructor(
    private readonly fileName: string,
    private readonly document: Document.Parsed,
    private readonly lines: LineCounter
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
    return new YamlFields(fileName, document, lines)
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
        const shown = safeText(name).slice(0, 60)
        this.fail(where, `unknown field '${shown}' in ${what}`, unknownHint?.(name) ?? knownList(known))
      }
      fields.set(name, { name, value: this.follow(pair.value as Node | null, key?.range?.[0] ?? 0), where })
    }
    return fields
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
    const target = node.resolve(this.document)
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

/** yaml's message for the first error, as one line (a key or tag it quotes is the user's own text). */
function syntaxProblem(code: string, message: string, text: string, pos: [number, number]): string {
  if (code === 'DUPLICATE_KEY') {
    return `field '${safeText(/^[^:\s]*/.exec(text.slice(pos[0]))?.[0] ?? '').slice(0, 60)}' is given twice`
  }
  if (code === 'MULTIPLE_DOCS') return 'the file holds more than one YAML document (---)'
  return `not valid YAML: ${safeText(message).slice(0, 200)}`
}
