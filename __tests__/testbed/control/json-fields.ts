// Reads and checks the fields of a control API request body, so a typo or a wrong type is answered with a
// one-line 400 naming the field instead of silently setting a fault the caller did not mean.

/** A request the control API refuses; its message is the one-line answer. */
export class BadRequest extends Error {}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json }

export class JsonFields {
  private constructor(
    private readonly object: Record<string, Json>,
    /** How messages name this object's fields: '' at the top, 'writes.' inside `writes`. */
    private readonly prefix = ''
  ) {}

  /** The body as a JSON object with no field outside `allowed`. An empty body reads as `{}`. */
  static parse(body: Buffer, allowed: readonly string[]): JsonFields {
    const text = body.toString('utf8').trim()
    let value: Json
    try {
      value = text === '' ? {} : (JSON.parse(text) as Json)
    } catch {
      throw new BadRequest('The body is not JSON.')
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new BadRequest('The body must be a JSON object.')
    }
    return JsonFields.of(value, allowed, '')
  }

  private static of(value: Record<string, Json>, allowed: readonly string[], prefix: string): JsonFields {
    const unknown = Object.keys(value).filter((name) => !allowed.includes(name))
    if (unknown.length) {
      const expected = allowed.length ? allowed.join(', ') : 'none'
      throw new BadRequest(`Unknown field '${prefix}${unknown[0]}' (expected: ${expected}).`)
    }
    return new JsonFields(value, prefix)
  }

  /** A nested object with no field outside `allowed`; absent or `null` reads as undefined. */
  optionalObject(name: string, allowed: readonly string[]): JsonFields | undefined {
    const value = this.object[name]
    if (value === undefined || value === null) return undefined
    if (typeof value !== 'object' || Array.isArray(value))
      throw new BadRequest(`'${this.prefix}${name}' must be a JSON object or null.`)
    return JsonFields.of(value, allowed, `${this.prefix}${name}.`)
  }

  /** A number > min (strictly). */
  numberAbove(name: string, min: number): number {
    const value = this.required(name)
    if (typeof value !== 'number' || !(value > min)) {
      throw new BadRequest(`'${this.prefix}${name}' must be a number > ${min}.`)
    }
    return value
  }

  integer(name: string, min: number): number {
    const value = this.number(name, min)
    if (!Number.isInteger(value)) throw new BadRequest(`'${this.prefix}${name}' must be a whole number.`)
    return value
  }

  number(name: string, min: number): number {
    const value = this.required(name)
    if (typeof value !== 'number' || value < min) {
      throw new BadRequest(`'${this.prefix}${name}' must be a number >= ${min}.`)
    }
    return value
  }

  optionalNumber(name: string, min: number): number | undefined {
    return this.object[name] === undefined ? undefined : this.number(name, min)
  }

  /** A whole number >= min, or `null` read as Infinity (JSON has no Infinity). */
  integerOrNull(name: string, min: number): number {
    return this.required(name) === null ? Infinity : this.integer(name, min)
  }

  string(name: string): string {
    const value = this.required(name)
    if (typeof value !== 'string' || value === '')
      throw new BadRequest(`'${this.prefix}${name}' must be a non-empty string.`)
    return value
  }

  optionalString(name: string): string | undefined {
    return this.object[name] === undefined ? undefined : this.string(name)
  }

  boolean(name: string): boolean {
    const value = this.required(name)
    if (typeof value !== 'boolean') throw new BadRequest(`'${this.prefix}${name}' must be true or false.`)
    return value
  }

  oneOf<T extends Json>(name: string, choices: readonly T[]): T {
    const value = this.required(name)
    if (!choices.includes(value as T))
      throw new BadRequest(`'${this.prefix}${name}' must be one of ${choices.join(', ')}.`)
    return value as T
  }

  /** True when the field is present (null included). */
  has(name: string): boolean {
    return Object.hasOwn(this.object, name)
  }

  private required(name: string): Json {
    if (!Object.hasOwn(this.object, name)) throw new BadRequest(`Missing field '${this.prefix}${name}'.`)
    return this.object[name]
  }
}
