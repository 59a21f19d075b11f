// The CBOR data model (RFC 8949 §2) as far as a COSE_Sign1 envelope (RFC 9052) can carry it: what cbor-decode
// returns and cbor-encode writes. Written here rather than taken from a CBOR library because a COSE_Sign1
// envelope needs only this small, definite-length subset, and a decoder of our own can be strict about it
// (no indefinite lengths, no duplicate map keys, no trailing bytes) and bounded against hostile input.

/** A tagged item (major type 6), e.g. tag 18 (COSE_Sign1) or tag 1 (epoch time). */
export class CborTag {
  constructor(
    readonly tag: number,
    readonly value: CborValue
  ) {}
}

/** Integers beyond ±2^53 decode as bigint; every other number as a JavaScript number. */
export type CborValue =
  number | bigint | string | Uint8Array | boolean | null | undefined | CborValue[] | CborMap | CborTag

/** Map keys keep their CBOR type: the integer label 1 and the text label '1' are different keys. */
export type CborMap = Map<CborValue, CborValue>

export class CborError extends Error {}
