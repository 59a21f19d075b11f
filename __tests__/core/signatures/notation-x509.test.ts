import { describe, expect, it } from '@jest/globals'
import { parseCertificate } from '../../../src/core/signatures/x509-certificate.js'
import { codeSigningChainProblem } from '../../../src/core/signatures/x509-chain.js'
import { parseDistinguishedName } from '../../../src/core/entries/trust-policy-identity.js'
import { formatName, isSubsetName, nameAttributes } from '../../../src/core/signatures/x509-name.js'
import { buildCertificate, generateKey, type CertificateFields } from '../../signing/notation-x509-builder.js'

describe('distinguished names as notation compares them', () => {
  it('prints a subject in certificate order, escaping what RFC 4514 escapes', () => {
    expect(
      formatName([
        [{ type: 'C', value: 'US' }],
        [{ type: 'O', value: 'Contoso, Ltd' }],
        [
          { type: 'OU', value: '#1' },
          { type: 'CN', value: 'a+b ' }
        ]
      ])
    ).toBe('C=US, O=Contoso\\, Ltd, OU=\\#1+CN=a\\+b\\ ')
  })

  it('reads an x509.subject with the trust policy parser: escapes, hex bytes, S for ST, any case, spaces around', () => {
    const parsed = parseDistinguishedName(' c=US,  S=WA , O=Caf\\C3\\A9\\, Inc , CN=build\\=1 ')
    expect(parsed).toEqual(
      new Map([
        ['C', 'US'],
        ['ST', 'WA'],
        ['O', 'Café, Inc'],
        ['CN', 'build=1']
      ])
    )
  })

  it('refuses what notation refuses: hex values, multi-valued RDNs, repeats, and no C, ST or O', () => {
    expect(parseDistinguishedName('C=US, ST=WA, O=#0403')).toHaveProperty(
      'error',
      'hex-encoded values (=#) are not supported'
    )
    expect(parseDistinguishedName('C=US+ST=WA, O=Contoso')).toHaveProperty(
      'error',
      'multi-valued RDNs are not supported'
    )
    expect(parseDistinguishedName('C=US, ST=WA, S=OR, O=Contoso')).toHaveProperty('error', 'ST appears twice')
    expect(parseDistinguishedName('C=US, O=Contoso')).toHaveProperty(
      'error',
      'it lacks ST (C, ST and O are required)'
    )
  })

  it('reads back what it prints', () => {
    const name = [
      [{ type: 'C', value: 'US' }],
      [{ type: 'ST', value: 'WA' }],
      [{ type: 'O', value: ' Contoso, "Ltd" <x>;' }],
      [{ type: 'CN', value: '#release ü' }]
    ]
    expect(parseDistinguishedName(formatName(name))).toEqual(nameAttributes(name).attributes)
  })

  it('matches when every attribute of the identity is in the subject with the same value', () => {
    const subject = nameAttributes([
      [{ type: 'C', value: 'US' }],
      [{ type: 'ST', value: 'WA' }],
      [{ type: 'O', value: 'Contoso' }],
      [{ type: 'CN', value: 'release' }]
    ]).attributes
    const identity = (text: string) => parseDistinguishedName(text) as Map<string, string>
    expect(isSubsetName(identity('C=US, ST=WA, O=Contoso'), subject)).toBe(true)
    expect(isSubsetName(identity('C=US, ST=WA, O=Contoso, CN=release'), subject)).toBe(true)
    expect(isSubsetName(identity('C=US, ST=WA, O=contoso'), subject)).toBe(false)
    expect(isSubsetName(identity('C=US, ST=WA, O=Contoso, OU=Release'), subject)).toBe(false)
  })

  it('reports a subject attribute that repeats, which no identity can match', () => {
    const repeated = nameAttributes([[{ type: 'OU', value: 'a' }], [{ type: 'OU', value: 'b' }]])
    expect(repeated.repeated).toBe('OU')
  })
})

describe('codeSigningChainProblem, the CA certificates of the chain', () => {
  const year = 365 * 24 * 3600_000
  const validity = { notBefore: new Date(Date.now() - year), notAfter: new Date(Date.now() + year) }

  function chainOf(
    ...links: Omit<CertificateFields, 'publicKey' | 'signingKey' | 'issuer' | 'notBefore' | 'notAfter'>[]
  ) {
    // links: root first; each signs the next.
    const keys = links.map(() => generateKey('ec-p256'))
    const ders = links.map((fields, i) =>
      buildCertificate({
        ...validity,
        ...fields,
        issuer: links[Math.max(0, i - 1)].subject,
        publicKey: keys[i].publicKey,
        signingKey: keys[Math.max(0, i - 1)].privateKey,
        issuerPublicKey: i > 0 ? keys[i - 1].publicKey : undefined
      })
    )
    return ders.reverse().map((der) => parseCertificate(der))
  }
  const root = {
    subject: 'C=US, ST=WA, O=Contoso, CN=Root',
    basicConstraints: { ca: true },
    keyUsage: { bits: ['keyCertSign' as const] }
  }
  const intermediate = { ...root, subject: 'C=US, ST=WA, O=Contoso, CN=Intermediate' }
  const leaf = {
    subject: 'C=US, ST=WA, O=Contoso, CN=release',
    keyUsage: { bits: ['digitalSignature' as const] },
    extendedKeyUsage: ['1.3.6.1.5.5.7.3.3']
  }

  it('accepts root, intermediate and leaf as the specification describes them', () => {
    expect(codeSigningChainProblem(chainOf(root, intermediate, leaf))).toBeUndefined()
  })

  it('accepts a self-signed signing certificate alone, which the trust store must then hold itself', () => {
    expect(codeSigningChainProblem(chainOf(leaf))).toBeUndefined()
  })

  it('refuses a path longer than a CA allows', () => {
    const limited = { ...root, basicConstraints: { ca: true, pathLength: 0 } }
    expect(codeSigningChainProblem(chainOf(limited, intermediate, leaf))).toBe(
      "CA certificate 'Root' allows 0 intermediate(s) below it, the chain has 1"
    )
  })

  it('refuses an issuer that is not a CA, or whose key usage does not let it sign certificates', () => {
    expect(
      codeSigningChainProblem(chainOf(root, { ...intermediate, basicConstraints: undefined }, leaf))
    ).toBe("certificate 'Intermediate' issues certificates but is not a CA")
    expect(
      codeSigningChainProblem(chainOf(root, { ...intermediate, keyUsage: { bits: ['cRLSign'] } }, leaf))
    ).toBe("CA certificate 'Intermediate' lacks keyCertSign usage")
    expect(
      codeSigningChainProblem(
        chainOf(root, { ...intermediate, keyUsage: { bits: ['keyCertSign'], critical: false } }, leaf)
      )
    ).toBe("CA certificate 'Intermediate' key usage is not marked critical")
    expect(codeSigningChainProblem(chainOf(root, { ...intermediate, keyUsage: undefined }, leaf))).toBe(
      "CA certificate 'Intermediate' has no key usage extension"
    )
  })

  it('refuses an intermediate that signed itself, and a leaf with no key usage at all', () => {
    const [signing, middle, top] = chainOf(root, intermediate, leaf)
    expect(codeSigningChainProblem([signing, middle, top, top])).toBe(
      "intermediate certificate 'Root' is self-signed"
    )
    expect(codeSigningChainProblem(chainOf(root, { ...leaf, keyUsage: undefined }))).toBe(
      'signing certificate has no key usage extension'
    )
  })
})
