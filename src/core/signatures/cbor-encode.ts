// A CBOR encoder (RFC 8949) for what a COSE_Sign1 needs written: the Sig_structure a signature covers (RFC 9052
// §4.4), and, in tests, whole envelopes as go-cose writes them: definite lengths, the shortest argument, and map
// keys in the bytewise order of their encodings (RFC 8949 §4.2.1, "core deterministic", fxamacker/cbor's
// SortCoreDeterministic that go-cose uses).
import { CborError, CborTag, type CborValue } from './cbor-value.js'

const utf8 = new TextEncoder()

export function encodeCbor(value: CborValue): Uint8Array {
  const chunks: Uint8Array[] = []
  write(value, chunks)
  return Buffer.concat(chunks)
}

function write(value: CborValue, out: Uint8Array[]): void {
  if (value === false) out.push(Uint8Array.of(0xf4))
  else if (value === true) out.push(Uint8Array.of(0xf5))
  else if (value === null) out.push(Uint8Array.of(0xf6))
  else if (value === undefined) out.push(Uint8Array.of(0xf7))
  else if (typeof value === 'number' || typeof value === 'bigint') writeNumber(value, out)
  else if (typeof value === 'string') {
    const bytes = utf8.encode(value)
    out.push(head(3, bytes.length), bytes)
  } else if (value instanceof Uint8Array) out.push(head(2, value.length), value)
  else if (Array.isArray(value)) {
    out.push(head(4, value.length))
    for (const item of value) write(item, out)
  } else if (value instanceof CborTag) {
    out.push(head(6, value.tag))
    write(value.value, out)
  } else {
    const entries = [...value.entries()].map(([key, item]) => ({ key: encodeCbor(key), item }))
    entries.sort((a, b) => Buffer.compare(a.key, b.key))
    out.push(head(5, entries.length))
    for (const { key, item } of entries) out.push(key, encodeCbor(item))
  }
}

function writeNumber(value: number | bigint, out: Uint8Array[]): void {
  if (typeof value === 'number' && !Number.isInteger(value)) {
    const bytes = new Uint8Array(9)
    bytes[0] = 0xfb
    new DataView(bytes.buffer).setFloat64(1, value)
    out.push(bytes)
    return
  }
  const big = BigInt(value)
  out.push(big >= 0n ? head(0, big) : head(1, -1n - big))
}

function head(major: number, argument: number | bigint): Uint8Array {
  const n = BigInt(argument)
  if (n < 0n || n > 0xffffffffffffffffn) throw new CborError('CBOR argument out of range')
  const type = major << 5
  if (n < 24n) return Uint8Array.of(type | Number(n))
  if (n <= 0xffn) return Uint8Array.of(type | 24, Number(n))
  const sizes: [number, bigint][] = [
    [2, 0xffffn],
    [4, 0xffffffffn],
    [8, 0xffffffffffffffffn]
  ]
  const [size] = sizes.find(([, max]) => n <= max)!
  const bytes = new Uint8Array(1 + size)
  bytes[0] = type | { 2: 25, 4: 26, 8: 27 }[size]!
  for (let i = 0; i < size; i++) bytes[size - i] = Number((n >> BigInt(8 * i)) & 0xffn)
  return bytes
}
