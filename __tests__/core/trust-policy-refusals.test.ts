// Every mistake in a trust policy is refused before any request, in one line that names the file, the line and the
// field, with what to do: the shape of a policy, what it names (keys, certificates, trusted roots), the subject's
// regular expression, Notation's identities, what verify: and verify-mode: choose, and the trust-policy file.
import { describe, expect, it } from '@jest/globals'
import { refusal, build } from './input-defences/defences-helpers.js'
import { trustFixtures } from './trust-policy-fixtures.js'

const fixtures = trustFixtures()
const inDir = (line: string) => line.replaceAll(`${fixtures.dir}/`, '')
/** The line an images file holding `text` is refused with. */
const refused = (text: string): string =>
  inDir(refusal(() => build({ imagesFile: fixtures.imagesFile(text) })))
/** An images file whose one policy `p` is `policy` (YAML flow), chosen by its one entry. */
const withPolicy = (policy: string) =>
  `trust:\n  p: ${policy}\nimages:\n  - source: nginx:1.27\n    verify: p\n`
/** The same, with the cosign block written over lines, so each field has a line of its own (line 4 on). */
const withCosign = (...fields: string[]) =>
  `trust:\n  p:\n    cosign:\n${fields.map((f) => `      ${f}\n`).join('')}images:\n  - source: nginx:1.27\n    verify: p\n`
const withNotation = (...fields: string[]) =>
  `trust:\n  p:\n    notation:\n${fields.map((f) => `      ${f}\n`).join('')}images:\n  - source: nginx:1.27\n    verify: p\n`

describe('the shape of a policy', () => {
  it.each([
    [
      'an unknown field in a policy',
      withPolicy('{ cosign: { key: keys/ec.pub }, keyless: true }'),
      /^images-\d+\.yaml line 2: unknown field 'keyless' in trust policy 'p'\. The known fields are cosign, notation\.$/
    ],
    [
      'an unknown field in cosign',
      withCosign('key: keys/ec.pub', 'tlog: skip'),
      /^images-\d+\.yaml line 5: unknown field 'tlog' in cosign of trust policy 'p'\. The known fields are key, issuer, subject, trusted-root, transparency-log\.$/
    ],
    [
      'an unknown field in notation',
      withNotation('trust-store: certs/ca.pem', 'trust-policy: strict'),
      /^images-\d+\.yaml line 5: unknown field 'trust-policy' in notation of trust policy 'p'\. The known fields are trust-store, identities\.$/
    ],
    [
      'both cosign and notation',
      'trust:\n  p:\n    cosign: { key: keys/ec.pub }\n    notation: { trust-store: certs/ca.pem }\nimages: [{ source: nginx, verify: p }]\n',
      /^images-\d+\.yaml line 4: trust policy 'p' has both cosign and notation\. A policy is cosign: \{ key \}.*define one policy each and list them in verify:\.$/
    ],
    [
      'neither cosign nor notation',
      withPolicy('{}'),
      /^images-\d+\.yaml line 2: trust policy 'p' has neither cosign nor notation\. A policy is/
    ],
    ['an empty policy', withPolicy(''), /^images-\d+\.yaml line 2: trust policy 'p' is empty\. /],
    [
      'an empty cosign',
      'trust:\n  p:\n    cosign:\nimages: [{ source: nginx, verify: p }]\n',
      /^images-\d+\.yaml line 3: cosign of trust policy 'p' must be a map of fields, not empty\. The known fields are key/
    ],
    [
      'a key and an issuer',
      withCosign('key: keys/ec.pub', 'issuer: https://token.actions.githubusercontent.com', 'subject: x'),
      /^images-\d+\.yaml line 5: cosign of trust policy 'p' has both 'key' and 'issuer'\. Keyed: key alone; keyless: issuer and subject; to accept either, define two policies/
    ],
    [
      'a key and a subject',
      withCosign('key: keys/ec.pub', 'subject: x'),
      /^images-\d+\.yaml line 5: cosign of trust policy 'p' has both 'key' and 'subject'\. /
    ],
    [
      'an issuer without a subject',
      withCosign('issuer: https://token.actions.githubusercontent.com'),
      /^images-\d+\.yaml line 4: cosign of trust policy 'p' has 'issuer' without 'subject'\. Write subject: an RE2 regular expression matched against the certificate's whole identity/
    ],
    [
      'a subject without an issuer',
      withCosign("subject: '^https://github\\.com/contoso/.+$'"),
      /^images-\d+\.yaml line 4: cosign of trust policy 'p' has 'subject' without 'issuer'\. Write issuer: the OIDC issuer URL/
    ],
    [
      'neither a key nor an issuer',
      withCosign('transparency-log: skip'),
      /^images-\d+\.yaml line 4: cosign of trust policy 'p' has neither 'key' nor 'issuer' and 'subject'\. /
    ],
    [
      'keyless without the transparency log',
      withCosign(
        'issuer: https://token.actions.githubusercontent.com',
        'subject: x',
        'transparency-log: skip'
      ),
      /^images-\d+\.yaml line 6: cosign of trust policy 'p': transparency-log: skip applies to a key only\. A keyless signing certificate lives minutes/
    ],
    [
      'a transparency log that is neither required nor skip',
      withCosign('key: keys/ec.pub', 'transparency-log: false'),
      /^images-\d+\.yaml line 5: 'transparency-log' must be text, not false: put it in quotes\. Write transparency-log: required/
    ],
    [
      'a transparency log of another word',
      withCosign('key: keys/ec.pub', 'transparency-log: optional'),
      /^images-\d+\.yaml line 5: 'transparency-log' must be required or skip, not 'optional'\. /
    ],
    [
      'an issuer that is not a URL',
      withCosign('issuer: token.actions.githubusercontent.com', 'subject: x'),
      /^images-\d+\.yaml line 4: 'issuer' of trust policy 'p' 'token\.actions\.githubusercontent\.com' is not a URL\. /
    ],
    [
      'notation without a trust store',
      withNotation("identities: ['*']"),
      /^images-\d+\.yaml line 4: notation of trust policy 'p' has no 'trust-store'\. Write trust-store: the PEM file/
    ],
    [
      'notation with an empty trust store list',
      withNotation('trust-store: []'),
      /^images-\d+\.yaml line 4: notation of trust policy 'p' has an empty 'trust-store'\. /
    ]
  ])('%s', (_name, text, line) => {
    expect(refused(text)).toMatch(line)
  })
})

describe('the subject is a valid RE2 regular expression', () => {
  it.each([
    ['a backreference', "'^https://github\\.com/(contoso)/\\1$'", /invalid escape sequence/],
    ['lookahead', "'^https://github\\.com/(?!evil).+$'", /invalid or unsupported Perl syntax/],
    ['an unclosed group', "'^https://github\\.com/(contoso'", /missing closing \)/],
    ['a group that closes the anchors', "'x)|(y'", /unexpected \)/]
  ])('refuses %s at its line', (_name, subject, problem) => {
    const line = refused(
      withCosign('issuer: https://token.actions.githubusercontent.com', `subject: ${subject}`)
    )
    expect(line).toMatch(
      /^images-\d+\.yaml line 5: 'subject' of trust policy 'p' '.+' is not a valid RE2 regular expression \(.+\)\. Write subject: an RE2 regular expression .* RE2 has no backreferences/
    )
    expect(line).toMatch(problem)
  })
})

describe('what a policy names is read and parsed now', () => {
  it.each([
    [
      'a key file that does not exist',
      withCosign('key: keys/missing.pub'),
      /^images-\d+\.yaml line 4: 'key' of trust policy 'p': file keys\/missing\.pub does not exist\. Give the path of the PEM public key/
    ],
    [
      'a key that is a folder',
      withCosign('key: keys'),
      /^images-\d+\.yaml line 4: 'key' of trust policy 'p': file keys is a folder\. /
    ],
    [
      'a key that is not PEM',
      withCosign('key: keys/not-pem.pub'),
      /^images-\d+\.yaml line 4: 'key' of trust policy 'p' \(keys\/not-pem\.pub\) is not PEM\. Give the path of the PEM public key \(-----BEGIN PUBLIC KEY-----/
    ],
    [
      'a key whose PEM does not end',
      withCosign('key: keys/no-end.pub'),
      /^images-\d+\.yaml line 4: 'key' of trust policy 'p' \(keys\/no-end\.pub\) holds a PEM block without its END line\. /
    ],
    [
      'a private key',
      withCosign('key: keys/private.pem'),
      /^images-\d+\.yaml line 4: 'key' of trust policy 'p' \(keys\/private\.pem\) holds a private key\. Give the public key only \(cosign\.pub\)/
    ],
    [
      'two keys in one file',
      withCosign('key: keys/two.pub'),
      /^images-\d+\.yaml line 4: 'key' of trust policy 'p' \(keys\/two\.pub\) holds 2 PEM blocks\. Give one public key per policy/
    ],
    [
      'a certificate for a key',
      withCosign('key: certs/ca.pem'),
      /^images-\d+\.yaml line 4: 'key' of trust policy 'p' \(certs\/ca\.pem\) is a certificate, not a public key\. /
    ],
    [
      'a PEM that is no key',
      withCosign('key: keys/garbage.pub'),
      /^images-\d+\.yaml line 4: 'key' of trust policy 'p' \(keys\/garbage\.pub\) cannot be read as a public key\. /
    ],
    [
      'a key cosign does not sign with',
      withCosign('key: keys/ed448.pub'),
      /^images-\d+\.yaml line 4: 'key' of trust policy 'p' \(keys\/ed448\.pub\) is a ed448 key, which cosign does not sign with\. Give an ECDSA \(P-256, P-384, P-521\), RSA or Ed25519 public key/
    ],
    [
      'an ECDSA key on another curve',
      withCosign('key: keys/secp256k1.pub'),
      /^images-\d+\.yaml line 4: 'key' of trust policy 'p' \(keys\/secp256k1\.pub\) is an ECDSA key on the curve secp256k1\. /
    ],
    [
      'a trusted root that does not exist',
      withCosign('issuer: https://a.example', 'subject: x', 'trusted-root: sigstore/missing.json'),
      /^images-\d+\.yaml line 6: 'trusted-root' of trust policy 'p': file sigstore\/missing\.json does not exist\. Give a Sigstore trusted root/
    ],
    [
      'a trusted root that is not JSON',
      withCosign('issuer: https://a.example', 'subject: x', 'trusted-root: sigstore/not-json.json'),
      /^images-\d+\.yaml line 6: 'trusted-root' of trust policy 'p' \(sigstore\/not-json\.json\) is not JSON\. Give a Sigstore trusted root \(trusted_root\.json/
    ],
    [
      'a trusted root that is not an object',
      withCosign('issuer: https://a.example', 'subject: x', 'trusted-root: sigstore/array.json'),
      /line 6: 'trusted-root' of trust policy 'p' \(sigstore\/array\.json\) is not a JSON object\. /
    ],
    [
      'a trusted root of another media type',
      withCosign('issuer: https://a.example', 'subject: x', 'trusted-root: sigstore/other-media.json'),
      /line 6: 'trusted-root' of trust policy 'p' \(sigstore\/other-media\.json\) is not a Sigstore trusted root/
    ],
    [
      'a keyless trusted root without certificate authorities',
      withCosign('issuer: https://a.example', 'subject: x', 'trusted-root: sigstore/no-ca.json'),
      /line 6: 'trusted-root' of trust policy 'p' \(sigstore\/no-ca\.json\) has no certificateAuthorities, so no keyless signing certificate can chain to it\. /
    ],
    [
      'a trusted root whose certificate authority is no certificate',
      withCosign('issuer: https://a.example', 'subject: x', 'trusted-root: sigstore/bad-ca.json'),
      /line 6: 'trusted-root' of trust policy 'p' \(sigstore\/bad-ca\.json\) has a certificate authority \(number 1\) whose certChain is not base64 DER certificates\. /
    ],
    [
      'a trusted root without a transparency log, when one is required',
      withCosign('key: keys/ec.pub', 'trusted-root: sigstore/no-tlogs.json'),
      /line 5: 'trusted-root' of trust policy 'p' \(sigstore\/no-tlogs\.json\) has no tlogs, so no Rekor entry can be checked\. Give a trusted root with its transparency log's key, or write transparency-log: skip/
    ],
    [
      'a trust store that does not exist',
      withNotation('trust-store: [certs/ca.pem, certs/missing.pem]'),
      /^images-\d+\.yaml line 4: 'trust-store' of trust policy 'p': file certs\/missing\.pem does not exist\. Give PEM files of the CA certificates/
    ],
    [
      'a trust store that is not PEM',
      withNotation('trust-store: keys/not-pem.pub'),
      /line 4: 'trust-store' of trust policy 'p' \(keys\/not-pem\.pub\) is not PEM\. /
    ],
    [
      'a trust store holding a private key',
      withNotation('trust-store: certs/ca-and-key.pem'),
      /line 4: 'trust-store' of trust policy 'p' \(certs\/ca-and-key\.pem, PEM block 2\) holds a private key, not a certificate\. A trust store holds certificates only/
    ],
    [
      'a trust store holding a public key',
      withNotation('trust-store: keys/ec.pub'),
      /line 4: 'trust-store' of trust policy 'p' \(keys\/ec\.pub\) holds a PUBLIC KEY, not a certificate\. /
    ],
    [
      'a trust store certificate that cannot be read',
      withNotation('trust-store: certs/broken.pem'),
      /line 4: 'trust-store' of trust policy 'p' \(certs\/broken\.pem\) holds a certificate that cannot be read\. /
    ],
    [
      'a trust store holding a leaf that no chain can end at',
      withNotation('trust-store: certs/leaf.pem'),
      /line 4: 'trust-store' of trust policy 'p' \(certs\/leaf\.pem\) holds 'C=US\s*ST=WA\s*O=Contoso\s*CN=release', which is neither a CA nor self-signed, so no chain can end at it\. Give the root \(or intermediate\) CA certificate/
    ]
  ])('%s', (_name, text, line) => {
    expect(refused(text)).toMatch(line)
  })

  it('never shows a private key written inline, nor a line of a file it could not read', () => {
    const privatePem = fixtures.read('keys/private.pem').trim().split('\n')
    const inline = refused(withCosign('key: |', ...privatePem.map((line) => `  ${line}`)))
    expect(inline).toMatch(/^images-\d+\.yaml line 4: 'key' of trust policy 'p' holds a private key\. /)
    for (const line of privatePem.slice(1, -1)) expect(inline).not.toContain(line)
    const secrets = fixtures.write('secrets.env', 'API_TOKEN=hunter2-s3cr3t\n')
    expect(refused(withCosign(`key: ${secrets}`))).not.toMatch(/hunter2|s3cr3t/)
  })
})

describe("Notation's identities", () => {
  it.each([
    [
      'without x509.subject:',
      "identities: ['C=US, ST=WA, O=Contoso']",
      /line 5: 'identities' of trust policy 'p': 'C=US, ST=WA, O=Contoso' does not start with x509\.subject:\. Write each identity as 'x509\.subject: C=US/
    ],
    [
      'without O',
      "identities: ['x509.subject: C=US, ST=WA, CN=release']",
      /line 5: 'identities' of trust policy 'p': 'x509\.subject: C=US, ST=WA, CN=release' is not a distinguished name notation accepts: it lacks O \(C, ST and O are required\)\. /
    ],
    [
      'with an attribute twice',
      "identities: ['x509.subject: C=US, ST=WA, O=Contoso, O=Fabrikam']",
      /line 5: .* is not a distinguished name notation accepts: O appears twice\. /
    ],
    [
      'with text that is no attribute',
      "identities: ['x509.subject: C=US, ST=WA, O=Contoso, release']",
      /line 5: .* is not a distinguished name notation accepts: 'release' is not type=value\. /
    ],
    [
      "with '*' among others",
      "identities: ['x509.subject: C=US, ST=WA, O=Contoso', '*']",
      /line 5: 'identities' of trust policy 'p' mixes '\*' with other identities\. /
    ],
    ['as an empty list', 'identities: []', /line 5: 'identities' of trust policy 'p' is an empty list\. /]
  ])('refuses one %s', (_name, identities, line) => {
    expect(refused(withNotation('trust-store: certs/ca.pem', identities))).toMatch(line)
  })

  it('names the line of the identity in a list written over lines', () => {
    const text = withNotation(
      'trust-store: certs/ca.pem',
      'identities:',
      "  - 'x509.subject: C=US, ST=WA, O=Contoso'",
      "  - 'x509.subject: C=US, O=Contoso'"
    )
    expect(refused(text)).toMatch(
      /^images-\d+\.yaml line 7: 'identities' of trust policy 'p': .* it lacks ST/
    )
  })
})

describe('what verify: and verify-mode: choose', () => {
  const policies =
    'trust:\n  release-key: { cosign: { key: keys/ec.pub } }\n  ca: { notation: { trust-store: certs/ca.pem } }\n'

  it.each([
    [
      'a name trust: lacks, on an entry',
      `${policies}images:\n  - source: nginx\n    verify: [release-key, relase-key, ca]\n`,
      /^images-\d+\.yaml line 6: 'verify' names 'relase-key', which trust: does not define\. The policies are release-key, ca: correct the name, or define it under trust:\.$/
    ],
    [
      'a name trust: lacks, under defaults (whatever the entries say)',
      `${policies}defaults:\n  verify: [ca, other]\nimages:\n  - { source: nginx, verify: [release-key, ca] }\n`,
      /^images-\d+\.yaml line 5: 'verify' names 'other', which trust: does not define\. /
    ],
    [
      'a name without any trust:',
      'images:\n  - source: nginx\n    verify: release-key\n',
      /^images-\d+\.yaml line 3: 'verify' names 'release-key', which trust: does not define\. Define it under trust: in the images file, or give a trust-policy file that defines it\.$/
    ],
    [
      'verify: true',
      `${policies}defaults: { verify: [release-key, ca] }\nimages:\n  - source: nginx\n    verify: true\n`,
      /^images-\d+\.yaml line 7: 'verify' must name a policy, not true\. Write verify: with the name of a policy under trust:, a list of names/
    ],
    [
      'verify: an empty list',
      `${policies}defaults: { verify: [release-key, ca] }\nimages:\n  - source: nginx\n    verify: []\n`,
      /line 7: 'verify' is an empty list\. /
    ],
    [
      'a name twice',
      `${policies}images:\n  - source: nginx\n    verify: [release-key, ca, release-key]\n`,
      /line 6: 'verify' names 'release-key' twice\. Name each policy once/
    ],
    [
      'a number for a name',
      `${policies}defaults: { verify: [release-key, ca] }\nimages:\n  - source: nginx\n    verify: 1\n`,
      /line 7: 'verify' must be text, not a number: put it in quotes\. /
    ],
    [
      'a verify-mode of another word',
      `${policies}defaults: { verify: [release-key, ca], verify-mode: warn }\nimages: [nginx]\n`,
      /^images-\d+\.yaml line 4: 'verify-mode' must be enforce or audit, not 'warn'\. Write verify-mode: enforce \(a refused image is not imported\) or audit/
    ],
    [
      'a verify-mode on an entry that verifies nothing',
      `${policies}defaults: { verify: [release-key, ca] }\nimages:\n  - source: nginx\n    verify: false\n    verify-mode: audit\n`,
      /^images-\d+\.yaml line 8: 'verify-mode' is set, but the entry verifies nothing \(verify: false, or no policy chosen\)\. Choose a policy with verify:, or drop verify-mode/
    ],
    [
      'a verify-mode without any policy',
      'images:\n  - source: nginx\n    verify-mode: audit\n',
      /^images-\d+\.yaml line 3: 'verify-mode' is set, but the entry verifies nothing/
    ],
    [
      'a verify-mode under defaults that no image uses',
      `${policies}defaults:\n  verify-mode: audit\nimages:\n  - { source: nginx, verify: [release-key, ca], verify-mode: enforce }\n  - { source: redis, verify: false }\n`,
      /^images-\d+\.yaml line 5: 'verify-mode' is set under defaults:, but no verified image takes it\. /
    ],
    [
      'a verify-mode under defaults with verification off',
      'defaults: { verify: false, verify-mode: audit }\nimages: [nginx]\n',
      /^images-\d+\.yaml line 1: 'verify-mode' is set under defaults:, but no verified image takes it\. /
    ],
    [
      'a policy that no verify: chooses',
      `${policies}images:\n  - source: nginx\n    verify: ca\n`,
      /^images-\d+\.yaml line 2: trust policy 'release-key' is defined, but no verify: chooses it, so it verifies nothing\. Choose it with verify: release-key under defaults: \(every image\) or on the images it is for, or remove it\.$/
    ],
    [
      'a trust: that is a list',
      'trust: [release-key]\nimages: [nginx]\n',
      /^images-\d+\.yaml line 1: trust: must be a map of names, not a list\. Name each policy/
    ],
    ['an empty trust:', 'trust:\nimages: [nginx]\n', /^images-\d+\.yaml line 1: trust: defines no policy\. /],
    [
      'a policy name with a space',
      "trust:\n  'release key': { cosign: { key: keys/ec.pub } }\nimages: [nginx]\n",
      /^images-\d+\.yaml line 2: trust: has a name that is not allowed\. Name each policy with letters, digits/
    ],
    [
      'a policy named false',
      "trust:\n  'false': { cosign: { key: keys/ec.pub } }\nimages: [nginx]\n",
      /^images-\d+\.yaml line 2: trust: has a policy named 'false'\. /
    ],
    [
      'a policy name YAML reads as a number',
      'trust:\n  1.10: { cosign: { key: keys/ec.pub } }\nimages: [nginx]\n',
      /^images-\d+\.yaml line 2: trust: has a name that is not allowed\. /
    ],
    [
      'an unknown field under defaults, listing verify',
      `${policies}defaults: { verfiy: ca }\nimages: [nginx]\n`,
      /line 4: unknown field 'verfiy' in defaults\. The known fields are force, source-registry, credentials, referrers, lock, verify, verify-mode \(under defaults:\)\./
    ]
  ])('refuses %s', (_name, text, line) => {
    expect(refused(text)).toMatch(line)
  })
})

describe('the trust-policy file', () => {
  const policyFile = (text: string) =>
    fixtures.write(`policies/trust-${Math.random().toString(36).slice(2)}.yaml`, text)
  const refusedStep = (trustPolicy: string, imagesText?: string) =>
    inDir(
      refusal(() =>
        build({
          sourceLines: ['nginx:1.27'],
          trustPolicy,
          imagesFile: imagesText === undefined ? undefined : fixtures.imagesFile(imagesText)
        })
      )
    )
  const good = 'trust:\n  release-key: { cosign: { key: ../keys/ec.pub } }\nverify: release-key\n'

  it.each([
    [
      'without verify:',
      'trust:\n  release-key: { cosign: { key: ../keys/ec.pub } }\n',
      /^policies\/trust-\w+\.yaml line 1: the trust policy file has no verify:, so it would verify nothing\. Name the policy \(or the list of policies\) every image must pass, e.g\. verify: release-key\.$/
    ],
    [
      'with verify: false',
      'trust:\n  release-key: { cosign: { key: ../keys/ec.pub } }\nverify: false\n',
      /line 3: the trust policy file's verify: is false, so it would verify nothing\. /
    ],
    [
      'without trust:',
      'verify: release-key\n',
      /^policies\/trust-\w+\.yaml line 1: the trust policy file has no trust: policies\. Write the policies under trust:/
    ],
    [
      'naming a policy it lacks',
      'trust:\n  release-key: { cosign: { key: ../keys/ec.pub } }\nverify: [release-key, contoso-ca]\n',
      /line 3: 'verify' names 'contoso-ca', which trust: does not define\. The policies are release-key/
    ],
    [
      'with an unknown field',
      `${good}images: [nginx]\n`,
      /line 4: unknown field 'images' in the trust policy file\. The known fields are trust, verify, verify-mode, \$schema\./
    ],
    ['empty', '', /^policies\/trust-\w+\.yaml line 1: the trust policy file is empty\. /],
    ['a list', '- release-key\n', /line 1: the trust policy file must be a map with trust: and verify:\. /],
    [
      'with a mistake in a policy, at its line, its paths relative to itself',
      'trust:\n  release-key:\n    cosign: { key: keys/ec.pub }\nverify: release-key\n',
      /^policies\/trust-\w+\.yaml line 3: 'key' of trust policy 'release-key': file keys\/ec\.pub does not exist\. /
    ]
  ])('refuses one %s', (_name, text, line) => {
    expect(refusedStep(policyFile(text))).toMatch(line)
  })

  it('refuses a path that does not exist, naming the input on both platforms', () => {
    expect(refusedStep(`${fixtures.dir}/policies/none.yaml`)).toMatch(
      /^Trust policy file policies\/none\.yaml does not exist\. Check trust-policy \(trustPolicy in Azure Pipelines\): a relative path is read from the workspace/
    )
  })

  it("refuses a policy the images file defines again under the file's name", () => {
    const images =
      'trust:\n  release-key: { cosign: { key: keys/rsa.pub } }\nimages: [{ source: redis, verify: release-key }]\n'
    expect(refusedStep(policyFile(good), images)).toMatch(
      /^images-\d+\.yaml line 2: trust policy 'release-key' is also defined in the trust-policy file \(policies\/trust-\w+\.yaml line 2\)\. Give the policy another name here/
    )
  })
})
