import { describe, expect, it } from '@jest/globals'
import { decodeCbor } from '../../../src/core/signatures/cbor-decode.js'
import { encodeCbor } from '../../../src/core/signatures/cbor-encode.js'
import { CborError, CborTag, type CborValue } from '../../../src/core/signatures/cbor-value.js'

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex')
const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')

describe('decodeCbor', () => {
  it('reads the items of RFC 8949 Appendix A that a COSE_Sign1 can hold', () => {
    const cases: [string, CborValue][] = [
      ['00', 0],
      ['17', 23],
      ['1818', 24],
      ['1903e8', 1000],
      ['1a000f4240', 1000000],
      ['1b000000e8d4a51000', 1000000000000],
      ['1bffffffffffffffff', 18446744073709551615n],
      ['20', -1],
      ['3863', -100],
      ['3bffffffffffffffff', -18446744073709551616n],
      ['f90001', 5.960464477539063e-8],
      ['f93c00', 1],
      ['f97bff', 65504],
      ['fa47c35000', 100000],
      ['fb3ff199999999999a', 1.1],
      ['f4', false],
      ['f5', true],
      ['f6', null],
      ['f7', undefined],
      ['40', new Uint8Array(0)],
      ['4401020304', Uint8Array.of(1, 2, 3, 4)],
      ['6449455446', 'IETF'],
      ['62c3bc', 'ü'],
      ['83010203', [1, 2, 3]],
      ['c11a514b67b0', new CborTag(1, 1363896240)]
    ]
    for (const [encoded, value] of cases) expect(decodeCbor(hex(encoded))).toEqual(value)
    expect(decodeCbor(hex('f9fc00'))).toBe(-Infinity)
    expect(decodeCbor(hex('f97e00'))).toBeNaN()
  })

  it('keeps map keys with their CBOR type: the integer label 1 is not the text label "1"', () => {
    const map = decodeCbor(hex('a2 01 02 61 31 03')) as Map<CborValue, CborValue>
    expect(map.get(1)).toBe(2)
    expect(map.get('1')).toBe(3)
  })

  it('refuses what a hostile envelope could use against the reader, each with a CborError', () => {
    const refusals: [string, RegExp][] = [
      ['9f0102ff', /indefinite-length/],
      ['5f4101ff', /indefinite-length/],
      ['a2 01 02 01 03', /duplicate key/],
      ['a2 01 02 1801 03', /duplicate key/],
      ['a2 6161 01 6161 02', /duplicate key/],
      ['0000', /trailing bytes/],
      ['44 0102', /longer than its bytes/],
      ['9b 00000000ffffffff', /longer than its bytes/],
      ['bb 00000000ffffffff', /longer than its bytes/],
      ['5b ffffffffffffffff', /length too large/],
      ['19 01', /ends in the middle/],
      ['1c', /reserved/],
      ['f0', /unsupported CBOR simple value/],
      ['62 c328', /not valid UTF-8/],
      ['81'.repeat(40) + '00', /nested too deeply/],
      ['', /ends in the middle/]
    ]
    for (const [encoded, message] of refusals) {
      expect(() => decodeCbor(hex(encoded))).toThrow(CborError)
      expect(() => decodeCbor(hex(encoded))).toThrow(message)
    }
  })
})

describe('encodeCbor', () => {
  it('writes the shortest argument and definite lengths', () => {
    expect(toHex(encodeCbor(23))).toBe('17')
    expect(toHex(encodeCbor(24))).toBe('1818')
    expect(toHex(encodeCbor(256))).toBe('190100')
    expect(toHex(encodeCbor(65536))).toBe('1a00010000')
    expect(toHex(encodeCbor(4294967296))).toBe('1b0000000100000000')
    expect(toHex(encodeCbor(-38))).toBe('3825')
    expect(toHex(encodeCbor(-18446744073709551616n))).toBe('3bffffffffffffffff')
    expect(toHex(encodeCbor(1.5))).toBe('fb3ff8000000000000')
    expect(toHex(encodeCbor(['Signature1', Uint8Array.of(0xa0), new Uint8Array(0)]))).toBe(
      '836a5369676e61747572653141a040'
    )
    expect(toHex(encodeCbor(new CborTag(18, [null, true, false, undefined])))).toBe('d284f6f5f4f7')
  })

  it('orders map keys by their encoded bytes, as go-cose (core deterministic) does', () => {
    const map = new Map<CborValue, CborValue>([
      ['io.cncf.notary.signingScheme', 'notary.x509'],
      ['io.cncf.notary.signingTime', 1],
      ['io.cncf.notary.expiry', 2],
      [3, 'cty'],
      [33, 'x5chain'],
      [-1, 'negative'],
      [1, -7]
    ])
    const keys = [...(decodeCbor(encodeCbor(map)) as Map<CborValue, CborValue>).keys()]
    // Integers (major type 0) before negative ones (1) before text (3); text by length first, as its header
    // carries the length: 21, 26 and 28 characters.
    expect(keys).toEqual([
      1,
      3,
      33,
      -1,
      'io.cncf.notary.expiry',
      'io.cncf.notary.signingTime',
      'io.cncf.notary.signingScheme'
    ])
  })

  it('round-trips through the decoder', () => {
    const value: CborValue = new CborTag(18, [
      encodeCbor(new Map<CborValue, CborValue>([[1, -7]])),
      new Map<CborValue, CborValue>([[33, [Uint8Array.of(0x30, 0x00)]]]),
      Buffer.from('{"targetArtifact":{}}'),
      new Uint8Array(64)
    ])
    expect(decodeCbor(encodeCbor(value))).toEqual(value)
  })
})
