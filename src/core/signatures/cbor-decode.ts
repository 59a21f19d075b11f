// A strict CBOR decoder (RFC 8949) for COSE_Sign1 envelopes read from registries, so for hostile input:
// definite lengths only (go-cose, which notation-core-go signs with, writes nothing else), no duplicate map keys
// (RFC 9052 §3: header labels are unique), no trailing bytes, a nesting limit, and no length believed before
// the bytes it promises are there.
import { CborError, CborTag, type CborMap, type CborValue } from './cbor-value.js'

const MAX_DEPTH = 16
const utf8 = new TextDecoder('utf-8', { fatal: true })

/** The one CBOR item `bytes` hold; throws CborError when they are not exactly one well-formed item. */
export function decodeCbor(bytes: Uint8Array): CborValue {
  const reader = new CborReader(bytes)
  const value = reader.item(0)
  if (reader.offset !== bytes.length) throw new CborError('trailing bytes after the CBOR item')
  return value
}

class CborReader {
  offset = 0
  private readonly view: DataView

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  }

  item(depth: number): CborValue {
    if (depth > MAX_DEPTH) throw new CborError('CBOR nested too deeply')
    const initial = this.uint8()
    const major = initial >> 5
    const info = initial & 0x1f
    if (major === 7) return this.simple(info)
    if (info === 31) throw new CborError('indefinite-length CBOR items are not supported')
    const argument = this.argument(info)
    switch (major) {
      case 0:
        return argument
      case 1:
        return typeof argument === 'bigint' || argument > Number.MAX_SAFE_INTEGER - 1
          ? -1n - BigInt(argument)
          : -1 - argument
      case 2:
        return this.take(this.length(argument))
      case 3:
        try {
          return utf8.decode(this.take(this.length(argument)))
        } catch (error) {
          if (error instanceof CborError) throw error
          throw new CborError('CBOR text is not valid UTF-8')
        }
      case 4:
        return this.array(this.length(argument), depth)
      case 5:
        return this.map(this.length(argument), depth)
      default: {
        if (typeof argument === 'bigint') throw new CborError('CBOR tag number too large')
        return new CborTag(argument, this.item(depth + 1))
      }
    }
  }

  private array(count: number, depth: number): CborValue[] {
    // Every item takes at least one byte: a count beyond what is left is a lie, refused before allocating.
    if (count > this.remaining()) throw new CborError('CBOR array longer than its bytes')
    const items: CborValue[] = []
    for (let i = 0; i < count; i++) items.push(this.item(depth + 1))
    return items
  }

  private map(count: number, depth: number): CborMap {
    if (count * 2 > this.remaining()) throw new CborError('CBOR map longer than its bytes')
    const map: CborMap = new Map()
    const seen = new Set<string>()
    for (let i = 0; i < count; i++) {
      const start = this.offset
      const key = this.item(depth + 1)
      const identity = keyIdentity(key, this.bytes.subarray(start, this.offset))
      if (seen.has(identity)) throw new CborError('duplicate key in a CBOR map')
      seen.add(identity)
      map.set(key, this.item(depth + 1))
    }
    return map
  }

  private simple(info: number): CborValue {
    switch (info) {
      case 20:
        return false
      case 21:
        return true
      case 22:
        return null
      case 23:
        return undefined
      case 25:
        return this.half()
      case 26:
        return this.read(4, () => this.view.getFloat32(this.offset))
      case 27:
        return this.read(8, () => this.view.getFloat64(this.offset))
      default:
        throw new CborError(`unsupported CBOR simple value ${info}`)
    }
  }

  /** RFC 8949 Appendix D. */
  private half(): number {
    const bits = this.read(2, () => this.view.getUint16(this.offset))
    const exponent = (bits >> 10) & 0x1f
    const mantissa = bits & 0x3ff
    const sign = bits & 0x8000 ? -1 : 1
    if (exponent === 0) return sign * mantissa * 2 ** -24
    if (exponent === 31) return mantissa === 0 ? sign * Infinity : NaN
    return sign * (mantissa + 1024) * 2 ** (exponent - 25)
  }

  private argument(info: number): number | bigint {
    if (info < 24) return info
    switch (info) {
      case 24:
        return this.uint8()
      case 25:
        return this.read(2, () => this.view.getUint16(this.offset))
      case 26:
        return this.read(4, () => this.view.getUint32(this.offset))
      case 27: {
        const value = this.read(8, () => this.view.getBigUint64(this.offset))
        return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value
      }
      default:
        throw new CborError(`reserved CBOR additional information ${info}`)
    }
  }

  private length(argument: number | bigint): number {
    if (typeof argument === 'bigint') throw new CborError('CBOR length too large')
    return argument
  }

  private take(length: number): Uint8Array {
    if (length > this.remaining()) throw new CborError('CBOR item longer than its bytes')
    const slice = this.bytes.subarray(this.offset, this.offset + length)
    this.offset += length
    return slice
  }

  private uint8(): number {
    return this.read(1, () => this.view.getUint8(this.offset))
  }

  private read<T>(size: number, get: () => T): T {
    if (size > this.remaining()) throw new CborError('CBOR ends in the middle of an item')
    const value = get()
    this.offset += size
    return value
  }

  private remaining(): number {
    return this.bytes.length - this.offset
  }
}

/** Two keys are the same when they decode to the same value (1 written in one byte or in two) or are the same bytes. */
function keyIdentity(key: CborValue, raw: Uint8Array): string {
  if (typeof key === 'number' || typeof key === 'bigint') return `int:${key}`
  if (typeof key === 'string') return `text:${key}`
  return `raw:${Buffer.from(raw).toString('hex')}`
}
