// The trust policy as users write it, read into Entry.verify: every accepted shape of a cosign (keyed, keyless)
// and notation policy, what verify: and verify-mode: choose per entry, under defaults: and through the step's
// trust-policy file, and the subject's anchoring.
import { describe, expect, it } from '@jest/globals'
import { X509Certificate } from 'node:crypto'
import { join } from 'node:path'
import { RE2JS } from 're2js'
import type { Entry } from '../../src/core/entries/entry.js'
import { anchoredSubject, type TrustPolicy } from '../../src/core/entries/trust-policy.js'
import { readRequest } from '../../src/core/request/read-request.js'
import { build } from './input-defences/defences-helpers.js'
import { trustFixtures } from './trust-policy-fixtures.js'

const fixtures = trustFixtures()
const entriesOf = (imagesFile: string, more: Parameters<typeof build>[0] = {}): Entry[] =>
  build({ imagesFile, ...more }).entries
/** The one policy of the first entry. */
const policyOf = (text: string, folder?: string): TrustPolicy => {
  const [entry] = entriesOf(fixtures.imagesFile(text, folder))
  expect(entry.verify?.policies).toHaveLength(1)
  return entry.verify!.policies[0]
}
const certificatePem = (path: string) => new X509Certificate(fixtures.read(path)).toString()

describe('a cosign policy with a key', () => {
  it('reads the key from a path relative to the images file (not the working folder), as SPKI PEM', () => {
    const text = [
      'trust:',
      '  release-key:',
      '    cosign:',
      '      key: ../keys/ec.pub',
      'defaults:',
      '  verify: release-key',
      'images: [docker.io/library/nginx:1.27]'
    ].join('\n')
    expect(policyOf(text, 'deploy')).toEqual({
      name: 'release-key',
      cosign: { publicKeyPem: fixtures.publicKeys['ec.pub'], transparencyLog: 'required' }
    })
  })

  it('takes the PEM inline, as a block', () => {
    const pem = fixtures.publicKeys['ec.pub'].trim().split('\n')
    const text = [
      'trust:',
      '  inline:',
      '    cosign:',
      '      key: |',
      ...pem.map((line) => `        ${line}`),
      '      transparency-log: skip',
      'images:',
      '  - source: nginx:1.27',
      '    verify: inline'
    ].join('\n')
    expect(policyOf(text).cosign).toEqual({
      publicKeyPem: fixtures.publicKeys['ec.pub'],
      transparencyLog: 'skip'
    })
  })

  it.each(['p384.pub', 'rsa.pub', 'ed25519.pub'])('takes a %s key', (key) => {
    const text = `trust: { k: { cosign: { key: keys/${key} } } }\nimages: [{ source: nginx:1.27, verify: k }]\n`
    expect(policyOf(text).cosign?.publicKeyPem).toBe(fixtures.publicKeys[key])
  })

  it('may name a trusted root for its transparency log', () => {
    const text =
      'trust: { k: { cosign: { key: keys/ec.pub, trusted-root: sigstore/no-ca.json } } }\nimages: [{ source: nginx:1.27, verify: k }]\n'
    const root = JSON.parse(fixtures.read('sigstore/no-ca.json'))
    expect(policyOf(text).cosign?.trustedRoot).toEqual(root)
  })
})

describe('a keyless cosign policy', () => {
  it('keeps the issuer and the subject as written, and parses the trusted root', () => {
    const text = [
      'trust:',
      '  github-release:',
      '    cosign:',
      '      issuer: https://token.actions.githubusercontent.com',
      "      subject: '^https://github\\.com/contoso/app/\\.github/workflows/release\\.yml@refs/tags/v.+$'",
      '      trusted-root: sigstore/trusted_root.json',
      'images: [{ source: nginx:1.27, verify: github-release }]'
    ].join('\n')
    expect(policyOf(text)).toEqual({
      name: 'github-release',
      cosign: {
        transparencyLog: 'required',
        issuer: 'https://token.actions.githubusercontent.com',
        subject: '^https://github\\.com/contoso/app/\\.github/workflows/release\\.yml@refs/tags/v.+$',
        trustedRoot: JSON.parse(fixtures.read('sigstore/trusted_root.json'))
      }
    })
  })

  it('takes a trusted root whose media type is spelled the v0.2 way, without ;version=', () => {
    const text =
      "trust: { ci: { cosign: { issuer: 'https://accounts.google.com', subject: 'ci', trusted-root: sigstore/v0.2.json } } }\nimages: [{ source: nginx:1.27, verify: ci }]\n"
    expect(policyOf(text).cosign?.trustedRoot).toEqual(JSON.parse(fixtures.read('sigstore/v0.2.json')))
  })

  it("leaves the trusted root out for Sigstore's public-good root", () => {
    const text =
      "trust: { ci: { cosign: { issuer: 'https://accounts.google.com', subject: 'release@contoso\\.example' } } }\nimages: [{ source: nginx:1.27, verify: ci }]\n"
    const { cosign } = policyOf(text)
    expect(cosign?.trustedRoot).toBeUndefined()
    expect(cosign?.subject).toBe('release@contoso\\.example')
  })
})

describe('the subject is anchored', () => {
  const matches = (subject: string, identity: string) =>
    RE2JS.compile(anchoredSubject(subject)).matcher(identity).find()

  it('so a prefix never matches a longer identity, and an alternation stays inside the anchors', () => {
    expect(anchoredSubject('https://github.com/contoso/')).toBe('^(?:https://github.com/contoso/)$')
    expect(matches('https://github.com/contoso/', 'https://github.com/contoso-evil/app')).toBe(false)
    // Unanchored, each of these would be found inside the longer identity.
    expect(matches('https://github.com/contoso', 'https://github.com/contoso-evil/app')).toBe(false)
    expect(
      matches('https://github.com/contoso/app', 'https://evil.example/https://github.com/contoso/app')
    ).toBe(false)
    expect(matches('https://github.com/contoso/app', 'https://github.com/contoso/app')).toBe(true)
    expect(matches('https://github.com/contoso/.*', 'https://github.com/contoso/app/x')).toBe(true)
    expect(matches('https://github.com/contoso/.*', 'https://github.com/contoso-evil/app')).toBe(false)
    expect(matches('a|b', 'ab')).toBe(false)
    expect(matches('a|b', 'b')).toBe(true)
  })
})

describe('a notation policy', () => {
  it('reads each certificate of each trust store file once, and keeps the identities', () => {
    const text = [
      'trust:',
      '  contoso-ca:',
      '    notation:',
      '      trust-store: [certs/two-cas.pem, certs/ca.pem, certs/self-signed-leaf.pem]',
      "      identities: ['x509.subject: C=US, ST=WA, L=Seattle, O=Contoso, CN=release.contoso.example']",
      'images: [{ source: nginx:1.27, verify: contoso-ca }]'
    ].join('\n')
    expect(policyOf(text)).toEqual({
      name: 'contoso-ca',
      notation: {
        trustStorePems: [
          certificatePem('certs/ca.pem'),
          certificatePem('certs/other-ca.pem'),
          certificatePem('certs/self-signed-leaf.pem')
        ],
        identities: ['x509.subject: C=US, ST=WA, L=Seattle, O=Contoso, CN=release.contoso.example']
      }
    })
  })

  it("takes one path, and '*' or no identities as any certificate the trust store issued", () => {
    for (const identities of ["identities: ['*']", 'identities: "*"', '']) {
      const text = `trust:\n  n:\n    notation:\n      trust-store: certs/ca.pem\n      ${identities}\nimages: [{ source: nginx:1.27, verify: n }]\n`
      expect(policyOf(text).notation).toEqual({ trustStorePems: [certificatePem('certs/ca.pem')] })
    }
  })
})

describe('verify: and verify-mode: choose per entry', () => {
  const file = fixtures.imagesFile(
    [
      'trust:',
      '  release-key: { cosign: { key: keys/ec.pub } }',
      '  contoso-ca: { notation: { trust-store: certs/ca.pem } }',
      '  ci:',
      '    cosign: { issuer: https://token.actions.githubusercontent.com, subject: "https://github\\\\.com/contoso/.+" }',
      'defaults:',
      '  verify: [release-key, contoso-ca]',
      'images:',
      '  - docker.io/library/nginx:1.27',
      '  - source: docker.io/library/redis:7',
      '    verify: ci',
      '    verify-mode: audit',
      '  - source: docker.io/library/busybox:1.36',
      '    verify: false',
      '  - source: docker.io/library/alpine',
      '    tags: { semver: ">=3.20.0" }',
      '  - source: docker.io/library/httpd:2.4',
      '    verify-mode: audit'
    ].join('\n')
  )
  const [nginx, redis, busybox, alpine, httpd] = entriesOf(file)
  const names = (entry: Entry) => entry.verify?.policies.map((policy) => policy.name)

  it('the defaults apply to an entry that says nothing, in their order, enforced', () => {
    expect(names(nginx)).toEqual(['release-key', 'contoso-ca'])
    expect(nginx.verify?.mode).toBe('enforce')
    expect(nginx.verify?.policies[0].cosign?.publicKeyPem).toBe(fixtures.publicKeys['ec.pub'])
  })

  it("an entry's own verify: and verify-mode: win", () => {
    expect(redis.verify).toEqual({ policies: [expect.objectContaining({ name: 'ci' })], mode: 'audit' })
    expect([names(httpd), httpd.verify?.mode]).toEqual([['release-key', 'contoso-ca'], 'audit'])
  })

  it('verify: false turns verification off', () => {
    expect(busybox.verify).toBeUndefined()
  })

  it('a tag pattern verifies each of its images', () => {
    expect(alpine.tagPattern).toBeDefined()
    expect(names(alpine)).toEqual(['release-key', 'contoso-ca'])
  })

  it('one choice is one object: the verifier may cache by it', () => {
    expect(alpine.verify).toBe(nginx.verify)
    expect(httpd.verify?.policies[0]).toBe(nginx.verify?.policies[0])
  })

  it('an entry of a file without trust: and without a trust-policy file verifies nothing', () => {
    const [plain] = entriesOf(fixtures.imagesFile('images: [nginx:1.27]\n'))
    expect(plain.verify).toBeUndefined()
  })

  it('defaults: verify-mode: audit with verify:', () => {
    const text =
      'trust: { k: { cosign: { key: keys/ec.pub } } }\ndefaults: { verify: k, verify-mode: audit }\nimages: [nginx:1.27]\n'
    const [entry] = entriesOf(fixtures.imagesFile(text))
    expect(entry.verify?.mode).toBe('audit')
  })
})

describe('the trust-policy file', () => {
  const policyFile = fixtures.write(
    'policy/trust.yaml',
    [
      'trust:',
      '  release-key:',
      '    cosign: { key: ../keys/ec.pub }',
      '  contoso-ca:',
      '    notation: { trust-store: ../certs/ca.pem }',
      'verify: release-key',
      'verify-mode: audit'
    ].join('\n')
  )

  it('applies its verify: and verify-mode: to source lines (paths relative to the policy file)', () => {
    const [line] = build({ sourceLines: ['nginx:1.27'], trustPolicy: policyFile }).entries
    expect(line.verify).toEqual({
      policies: [
        {
          name: 'release-key',
          cosign: { publicKeyPem: fixtures.publicKeys['ec.pub'], transparencyLog: 'required' }
        }
      ],
      mode: 'audit'
    })
  })

  it("applies to the images file's entries that say nothing; theirs, its names and false win", () => {
    const images = fixtures.imagesFile(
      [
        'trust: { own: { cosign: { key: keys/rsa.pub } } }',
        'images:',
        '  - nginx:1.27',
        '  - { source: redis:7, verify: contoso-ca, verify-mode: enforce }',
        '  - { source: busybox:1.36, verify: own }',
        '  - { source: alpine:3.20, verify: false }'
      ].join('\n')
    )
    const [line, nginx, redis, busybox, alpine] = build({
      sourceLines: ['httpd:2.4'],
      imagesFile: images,
      trustPolicy: policyFile
    }).entries
    expect(line.verify).toBe(nginx.verify)
    expect(nginx.verify?.policies.map((p) => p.name)).toEqual(['release-key'])
    expect(redis.verify).toEqual({
      policies: [expect.objectContaining({ name: 'contoso-ca' })],
      mode: 'enforce'
    })
    // The step's verify-mode holds where an entry names its own policies without a mode.
    expect([busybox.verify?.policies[0].cosign?.publicKeyPem, busybox.verify?.mode]).toEqual([
      fixtures.publicKeys['rsa.pub'],
      'audit'
    ])
    expect(alpine.verify).toBeUndefined()
  })

  it("is overridden by the images file's defaults, for its entries only", () => {
    const images = fixtures.imagesFile('defaults: { verify: false }\nimages: [nginx:1.27]\n')
    const [line, entry] = build({
      sourceLines: ['httpd:2.4'],
      imagesFile: images,
      trustPolicy: policyFile
    }).entries
    expect(line.verify?.policies.map((p) => p.name)).toEqual(['release-key'])
    expect(entry.verify).toBeUndefined()
  })

  it('is enforced when it says no verify-mode', () => {
    const enforced = fixtures.write(
      'policy/enforced.yaml',
      'trust: { k: { cosign: { key: ../keys/ec.pub } } }\nverify: [k]\n'
    )
    const [line] = build({ sourceLines: ['nginx:1.27'], trustPolicy: enforced }).entries
    expect(line.verify?.mode).toBe('enforce')
  })

  it('is read from the workspace when relative, as images-file is', () => {
    const inputs: Record<string, string> = {
      registry: 'prodacr',
      source: 'nginx',
      'trust-policy': 'trust.yaml'
    }
    const request = readRequest((name) => inputs[name] ?? '', '/work/space')
    expect(request.trustPolicy).toBe(join('/work/space', 'trust.yaml'))
    expect(readRequest((name) => ({ ...inputs, 'trust-policy': '' })[name] ?? '').trustPolicy).toBeUndefined()
  })
})
