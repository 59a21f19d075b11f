// verifyCosign against signatures made as cosign makes them (__tests__/signing/cosign-kit.ts), offline: each
// accepting case, and each refusal with the clause the user reads.
import { beforeAll, describe, expect, it } from '@jest/globals'
import { verifyCosign } from '../../../src/core/signatures/cosign-verify.js'
import { sigstoreTrustedRootProblem } from '../../../src/core/signatures/sigstore-trust.js'
import { SIGSTORE_PUBLIC_GOOD_TRUSTED_ROOT } from '../../../src/core/signatures/sigstore-public-good-root.js'
import type { CosignPolicy } from '../../../src/core/entries/trust-policy.js'
import {
  ANNOTATION,
  cosignCarrier,
  cosignSignatureLayer,
  createSigningKey,
  createTestSigstore,
  randomDigest,
  signMessage,
  sigstoreBundle,
  sigstoreBundleCarrier,
  simpleSigningPayload,
  type SigningKey,
  type TestSigstore
} from '../../signing/cosign-kit.js'

const GITHUB = 'https://token.actions.githubusercontent.com'
const RELEASE = 'https://github.com/contoso/app/.github/workflows/release.yml@refs/tags/v1'
const identity = { issuer: GITHUB, subject: RELEASE }

let sigstore: TestSigstore
let otherSigstore: TestSigstore
let key: SigningKey
let otherKey: SigningKey
const image = randomDigest()

beforeAll(() => {
  sigstore = createTestSigstore()
  otherSigstore = createTestSigstore()
  key = createSigningKey()
  otherKey = createSigningKey()
})

const keyed = (overrides: Partial<CosignPolicy> = {}): CosignPolicy => ({
  publicKeyPem: key.publicKeyPem,
  transparencyLog: 'required',
  trustedRoot: sigstore.trustedRoot,
  ...overrides
})
const keyless = (overrides: Partial<CosignPolicy> = {}): CosignPolicy => ({
  issuer: GITHUB,
  subject: 'https://github\\.com/contoso/app/\\.github/workflows/release\\.yml@refs/tags/v.*',
  transparencyLog: 'required',
  trustedRoot: sigstore.trustedRoot,
  ...overrides
})

describe('cosign tag scheme, keyed', () => {
  it('accepts a signature by the key with a Rekor entry the trusted log signed, naming the key by its fingerprint', async () => {
    const layer = cosignSignatureLayer({ imageDigest: image, signer: { key }, sigstore })
    expect(await verifyCosign(cosignCarrier(layer), image, keyed())).toEqual({
      verified: true,
      signer: key.fingerprint
    })
    expect(key.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/)
  })

  it('accepts a signature made offline when the policy skips the log, and refuses it when the log is required', async () => {
    const layer = cosignSignatureLayer({ imageDigest: image, signer: { key } })
    expect(layer.annotations[ANNOTATION.bundle]).toBeUndefined()
    expect(await verifyCosign(cosignCarrier(layer), image, keyed({ transparencyLog: 'skip' }))).toEqual({
      verified: true,
      signer: key.fingerprint
    })
    expect(await verifyCosign(cosignCarrier(layer), image, keyed())).toEqual({
      verified: false,
      reason: 'no transparency-log entry (transparency-log: skip accepts keys used offline)'
    })
  })

  it('ignores any log entry when the policy skips the log, and refuses an entry from an untrusted log otherwise', async () => {
    const layer = cosignSignatureLayer({ imageDigest: image, signer: { key }, sigstore: otherSigstore })
    expect(
      (await verifyCosign(cosignCarrier(layer), image, keyed({ transparencyLog: 'skip' }))).verified
    ).toBe(true)
    expect(await verifyCosign(cosignCarrier(layer), image, keyed())).toEqual({
      verified: false,
      reason: "the transparency-log entry's signed timestamp is not from a trusted log"
    })
  })

  it.each(['ecdsa-p384', 'rsa', 'ed25519'] as const)('accepts a %s key', async (kind) => {
    const other = createSigningKey(kind)
    const layer = cosignSignatureLayer({ imageDigest: image, signer: { key: other }, sigstore })
    expect(
      await verifyCosign(cosignCarrier(layer), image, keyed({ publicKeyPem: other.publicKeyPem }))
    ).toEqual({
      verified: true,
      signer: other.fingerprint
    })
  })

  it('refuses a signature by another key', async () => {
    const layer = cosignSignatureLayer({ imageDigest: image, signer: { key: otherKey }, sigstore })
    expect(await verifyCosign(cosignCarrier(layer), image, keyed())).toEqual({
      verified: false,
      reason: 'signed by another key (or altered since)'
    })
  })

  it('refuses a valid signature of another image moved onto this one, naming the digest it signs', async () => {
    const other = randomDigest()
    const layer = cosignSignatureLayer({ imageDigest: other, signer: { key }, sigstore })
    expect(await verifyCosign(cosignCarrier(layer), image, keyed())).toEqual({
      verified: false,
      reason: `signs ${other.slice(0, 19)}, not this image`
    })
  })

  it('refuses a payload altered after signing, logged or not', async () => {
    const logged = cosignSignatureLayer({ imageDigest: randomDigest(), signer: { key }, sigstore })
    const offline = cosignSignatureLayer({ imageDigest: randomDigest(), signer: { key } })
    const tampered = simpleSigningPayload(image)
    expect(await verifyCosign(cosignCarrier({ ...logged, payload: tampered }), image, keyed())).toEqual({
      verified: false,
      reason: 'the signed content is not what was logged (altered since)'
    })
    const skip = keyed({ transparencyLog: 'skip' })
    expect(await verifyCosign(cosignCarrier({ ...offline, payload: tampered }), image, skip)).toEqual({
      verified: false,
      reason: 'signed by another key (or altered since)'
    })
  })

  it("refuses another signature's log entry copied onto this one", async () => {
    const first = cosignSignatureLayer({ imageDigest: image, signer: { key }, sigstore })
    const second = cosignSignatureLayer({ imageDigest: image, signer: { key } })
    const transplanted = {
      ...second,
      annotations: { ...second.annotations, [ANNOTATION.bundle]: first.annotations[ANNOTATION.bundle] }
    }
    expect(await verifyCosign(cosignCarrier(transplanted), image, keyed())).toEqual({
      verified: false,
      reason: 'the transparency-log entry is for another signature'
    })
  })

  it('refuses a log entry that records another key for this very signature', async () => {
    // Whoever watches the log for their key must find every signature it made: an entry naming another key
    // (as an ECDSA key recovered from the signature could) hides it from them.
    const layer = cosignSignatureLayer({
      imageDigest: image,
      signer: { key },
      sigstore,
      loggedVerifierPem: otherKey.publicKeyPem
    })
    expect(await verifyCosign(cosignCarrier(layer), image, keyed())).toEqual({
      verified: false,
      reason: 'the transparency-log entry names another key'
    })
    const bundle = sigstoreBundle({
      imageDigest: image,
      signer: { key },
      sigstore,
      loggedVerifierPem: otherKey.publicKeyPem
    })
    expect(await verifyCosign(sigstoreBundleCarrier(bundle), image, keyed())).toEqual({
      verified: false,
      reason: 'the transparency-log entry names another key'
    })
  })

  it('refuses a log entry dated after the verifier’s clock (beyond five minutes of skew)', async () => {
    const now = new Date()
    const layer = cosignSignatureLayer({
      imageDigest: image,
      signer: { key },
      sigstore,
      loggedAt: new Date(now.getTime() + 3_600_000)
    })
    expect(await verifyCosign(cosignCarrier(layer), image, keyed(), now)).toEqual({
      verified: false,
      reason: 'the transparency-log entry is dated in the future'
    })
    expect(
      (await verifyCosign(cosignCarrier(layer), image, keyed(), new Date(now.getTime() + 3_600_000))).verified
    ).toBe(true)
  })

  it('refuses a layer without a signature, and a policy key it cannot read, without throwing', async () => {
    const layer = cosignSignatureLayer({ imageDigest: image, signer: { key } })
    const unsigned = cosignCarrier({ ...layer, annotations: {} })
    expect(await verifyCosign(unsigned, image, keyed())).toEqual({
      verified: false,
      reason: 'the layer has no signature (annotation dev.cosignproject.cosign/signature)'
    })
    const check = await verifyCosign(cosignCarrier(layer), image, keyed({ publicKeyPem: 'not a key' }))
    expect(check).toEqual({
      verified: false,
      reason: "the policy's public key cannot be read (give a PEM public key, as cosign public-key prints it)"
    })
  })
})

describe('cosign tag scheme, keyless', () => {
  it('accepts a Fulcio certificate for the identity, logged in Rekor, naming the identity and its issuer', async () => {
    const layer = cosignSignatureLayer({ imageDigest: image, signer: { identity }, sigstore })
    expect(await verifyCosign(cosignCarrier(layer), image, keyless())).toEqual({
      verified: true,
      signer: `${RELEASE} (${GITHUB})`
    })
  })

  it('refuses a certificate from another OIDC issuer', async () => {
    const layer = cosignSignatureLayer({
      imageDigest: image,
      signer: { identity: { ...identity, issuer: 'https://accounts.example.com' } },
      sigstore
    })
    expect(await verifyCosign(cosignCarrier(layer), image, keyless())).toEqual({
      verified: false,
      reason: `issuer 'https://accounts.example.com' is not '${GITHUB}'`
    })
  })

  it('matches the subject whole: a prefix or a suffix of an identity is not that identity', async () => {
    const evil = 'https://github.com/contoso-evil/app/.github/workflows/release.yml@refs/tags/v1'
    const layer = cosignSignatureLayer({
      imageDigest: image,
      signer: { identity: { ...identity, subject: evil } },
      sigstore
    })
    for (const subject of [
      'https://github.com/contoso',
      'https://github.com/contoso.*/app/.github',
      'release.yml@refs/tags/v1'
    ]) {
      expect(await verifyCosign(cosignCarrier(layer), image, keyless({ subject }))).toEqual({
        verified: false,
        reason: `certificate identity '${evil}' does not match`
      })
    }
    expect(
      (
        await verifyCosign(
          cosignCarrier(layer),
          image,
          keyless({ subject: 'https://github.com/contoso-evil/.*' })
        )
      ).verified
    ).toBe(true)
  })

  it('refuses a certificate that had expired when the log recorded the signature', async () => {
    const loggedAt = new Date()
    const layer = cosignSignatureLayer({
      imageDigest: image,
      signer: { identity, certificate: { notBefore: new Date(loggedAt.getTime() - 20 * 60_000) } },
      sigstore,
      loggedAt
    })
    expect(await verifyCosign(cosignCarrier(layer), image, keyless())).toEqual({
      verified: false,
      reason: 'certificate expired before the log entry'
    })
  })

  it('refuses a certificate not yet valid when the log recorded the signature', async () => {
    const loggedAt = new Date()
    const layer = cosignSignatureLayer({
      imageDigest: image,
      signer: { identity, certificate: { notBefore: new Date(loggedAt.getTime() + 5 * 60_000) } },
      sigstore,
      loggedAt
    })
    expect(await verifyCosign(cosignCarrier(layer), image, keyless())).toEqual({
      verified: false,
      reason: 'certificate was not yet valid at the log entry'
    })
  })

  it('refuses a subject that is no RE2 pattern, and a payload that is not a cosign signature', async () => {
    const layer = cosignSignatureLayer({ imageDigest: image, signer: { identity }, sigstore })
    expect(await verifyCosign(cosignCarrier(layer), image, keyless({ subject: '(a)\\1' }))).toEqual({
      verified: false,
      reason: "the subject '(a)\\1' is not a valid RE2 pattern"
    })
    const payload = Buffer.from(JSON.stringify({ critical: { type: 'atomic container signature' } }))
    const other = cosignSignatureLayer({ imageDigest: image, signer: { key } })
    const signed = {
      ...other,
      payload,
      annotations: { [ANNOTATION.signature]: signMessage(key, payload).toString('base64') }
    }
    expect(await verifyCosign(cosignCarrier(signed), image, keyed({ transparencyLog: 'skip' }))).toEqual({
      verified: false,
      reason: "the payload is a 'atomic container signature', not a cosign container image signature"
    })
  })

  it('refuses a keyless signature without a Rekor entry when the log is required, and without a timestamp when skipped', async () => {
    const layer = cosignSignatureLayer({ imageDigest: image, signer: { identity }, sigstore, log: false })
    expect(await verifyCosign(cosignCarrier(layer), image, keyless())).toEqual({
      verified: false,
      reason: 'no transparency-log entry'
    })
    const logged = cosignSignatureLayer({ imageDigest: image, signer: { identity }, sigstore })
    expect(await verifyCosign(cosignCarrier(logged), image, keyless({ transparencyLog: 'skip' }))).toEqual({
      verified: false,
      reason:
        'no signed timestamp dates the short-lived certificate (keyless signatures need transparency-log: required)'
    })
  })

  it('refuses a certificate from a CA the trusted root does not name, and uses the public-good root by default', async () => {
    const foreign = cosignSignatureLayer({
      imageDigest: image,
      signer: { identity },
      sigstore: otherSigstore
    })
    const refusal = { verified: false, reason: 'certificate chain does not end at the trusted root' }
    expect(await verifyCosign(cosignCarrier(foreign), image, keyless())).toEqual(refusal)
    const ours = cosignSignatureLayer({ imageDigest: image, signer: { identity }, sigstore })
    expect(await verifyCosign(cosignCarrier(ours), image, keyless({ trustedRoot: undefined }))).toEqual(
      refusal
    )
  })

  it('asks for an SCT when the trusted root names CT logs, and for none when it names none', async () => {
    const privateFulcio = createTestSigstore({ ctLog: false })
    const layer = cosignSignatureLayer({ imageDigest: image, signer: { identity }, sigstore: privateFulcio })
    const withoutCt = keyless({ trustedRoot: privateFulcio.trustedRoot })
    expect((await verifyCosign(cosignCarrier(layer), image, withoutCt)).verified).toBe(true)
    const withCt = keyless({
      trustedRoot: { ...privateFulcio.trustedRoot, ctlogs: sigstore.trustedRoot.ctlogs }
    })
    expect(await verifyCosign(cosignCarrier(layer), image, withCt)).toEqual({
      verified: false,
      reason: 'the certificate has no SCT from a trusted certificate-transparency log'
    })
  })

  it('refuses a log entry that records another certificate than the one that signed', async () => {
    const stranger = sigstore.issueCertificate({ publicKey: otherKey.publicKey, ...identity })
    const layer = cosignSignatureLayer({
      imageDigest: image,
      signer: { identity },
      sigstore,
      loggedVerifierPem: stranger.pem
    })
    expect(await verifyCosign(cosignCarrier(layer), image, keyless())).toEqual({
      verified: false,
      reason: 'the transparency-log entry names another certificate'
    })
  })

  it('refuses a keyed signature under a keyless policy, and a keyless one under a keyed policy', async () => {
    const keyedLayer = cosignSignatureLayer({ imageDigest: image, signer: { key }, sigstore })
    expect(await verifyCosign(cosignCarrier(keyedLayer), image, keyless())).toEqual({
      verified: false,
      reason: `signed with a key, not a certificate from ${GITHUB}`
    })
    const keylessLayer = cosignSignatureLayer({ imageDigest: image, signer: { identity }, sigstore })
    expect((await verifyCosign(cosignCarrier(keylessLayer), image, keyed())).verified).toBe(false)
  })
})

describe('Sigstore bundles (cosign v3)', () => {
  it('accepts a keyed bundle with its Rekor entry, and one made offline when the policy skips the log', async () => {
    const logged = sigstoreBundle({ imageDigest: image, signer: { key }, sigstore })
    expect(await verifyCosign(sigstoreBundleCarrier(logged), image, keyed())).toEqual({
      verified: true,
      signer: key.fingerprint
    })
    const offline = sigstoreBundle({ imageDigest: image, signer: { key } })
    expect(
      (await verifyCosign(sigstoreBundleCarrier(offline), image, keyed({ transparencyLog: 'skip' }))).verified
    ).toBe(true)
    expect(await verifyCosign(sigstoreBundleCarrier(offline), image, keyed())).toEqual({
      verified: false,
      reason: 'no transparency-log entry (transparency-log: skip accepts keys used offline)'
    })
  })

  it.each(['ecdsa-p384', 'rsa', 'ed25519'] as const)(
    'accepts a keyed bundle signed with a %s key',
    async (kind) => {
      const other = createSigningKey(kind)
      const bundle = sigstoreBundle({ imageDigest: image, signer: { key: other } })
      const policy = keyed({ publicKeyPem: other.publicKeyPem, transparencyLog: 'skip' })
      expect(await verifyCosign(sigstoreBundleCarrier(bundle), image, policy)).toEqual({
        verified: true,
        signer: other.fingerprint
      })
    }
  )

  it('accepts a keyless bundle, and refuses one for another identity', async () => {
    const bundle = sigstoreBundle({ imageDigest: image, signer: { identity }, sigstore })
    expect(await verifyCosign(sigstoreBundleCarrier(bundle), image, keyless())).toEqual({
      verified: true,
      signer: `${RELEASE} (${GITHUB})`
    })
    const policy = keyless({ subject: 'https://github.com/fabrikam/.*' })
    expect(await verifyCosign(sigstoreBundleCarrier(bundle), image, policy)).toEqual({
      verified: false,
      reason: `certificate identity '${RELEASE}' does not match`
    })
  })

  it("refuses a bundle whose statement's subject is another image", async () => {
    const other = randomDigest()
    const bundle = sigstoreBundle({ imageDigest: other, signer: { identity }, sigstore })
    expect(await verifyCosign(sigstoreBundleCarrier(bundle), image, keyless())).toEqual({
      verified: false,
      reason: `signs ${other.slice(0, 19)}, not this image`
    })
  })

  it('refuses a bundle by another key, and one whose envelope was altered', async () => {
    const byOther = sigstoreBundle({ imageDigest: image, signer: { key: otherKey }, sigstore })
    expect(await verifyCosign(sigstoreBundleCarrier(byOther), image, keyed())).toEqual({
      verified: false,
      reason: 'signed by another key (or altered since)'
    })
    const signed = JSON.parse(
      sigstoreBundle({ imageDigest: randomDigest(), signer: { key }, sigstore }).toString()
    )
    signed.dsseEnvelope.payload = Buffer.from(
      JSON.parse(sigstoreBundle({ imageDigest: image, signer: { key } }).toString()).dsseEnvelope.payload,
      'base64'
    ).toString('base64')
    expect(
      await verifyCosign(sigstoreBundleCarrier(Buffer.from(JSON.stringify(signed))), image, keyed())
    ).toEqual({
      verified: false,
      reason: 'the signed content is not what was logged (altered since)'
    })
  })

  it("refuses a bundle whose log entry's inclusion proof does not lead to the signed checkpoint", async () => {
    const bundle = JSON.parse(sigstoreBundle({ imageDigest: image, signer: { key }, sigstore }).toString())
    bundle.verificationMaterial.tlogEntries[0].inclusionProof.rootHash = Buffer.alloc(32).toString('base64')
    bundle.verificationMaterial.tlogEntries[0].inclusionProof.hashes.push(Buffer.alloc(32).toString('base64'))
    expect(
      await verifyCosign(sigstoreBundleCarrier(Buffer.from(JSON.stringify(bundle))), image, keyed())
    ).toEqual({
      verified: false,
      reason: "the transparency-log entry's inclusion proof does not verify"
    })
  })

  it('refuses an expired certificate, a statement that is not in-toto, and bytes that are no bundle', async () => {
    const loggedAt = new Date()
    const expired = sigstoreBundle({
      imageDigest: image,
      signer: { identity, certificate: { notBefore: new Date(loggedAt.getTime() - 20 * 60_000) } },
      sigstore,
      loggedAt
    })
    expect(await verifyCosign(sigstoreBundleCarrier(expired), image, keyless())).toEqual({
      verified: false,
      reason: 'certificate expired before the log entry'
    })
    const notInToto = sigstoreBundle({
      imageDigest: image,
      signer: { key },
      statement: Buffer.from('{"hello":1}')
    })
    expect(
      await verifyCosign(sigstoreBundleCarrier(notInToto), image, keyed({ transparencyLog: 'skip' }))
    ).toEqual({
      verified: false,
      reason: 'the envelope holds no in-toto statement'
    })
    expect(await verifyCosign(sigstoreBundleCarrier(Buffer.from('<html>')), image, keyed())).toEqual({
      verified: false,
      reason: 'the Sigstore bundle is not JSON'
    })
    const unreadable = await verifyCosign(
      sigstoreBundleCarrier(Buffer.from('{"mediaType":"x"}')),
      image,
      keyed()
    )
    expect(unreadable.verified).toBe(false)
  })
})

describe('the trusted root', () => {
  it('ships the public-good root, readable, and says why a root cannot be used', () => {
    expect(sigstoreTrustedRootProblem(SIGSTORE_PUBLIC_GOOD_TRUSTED_ROOT)).toBeUndefined()
    expect(sigstoreTrustedRootProblem(sigstore.trustedRoot)).toBeUndefined()
    expect(sigstoreTrustedRootProblem(JSON.parse(sigstore.trustedRootJson))).toBeUndefined()
    expect(sigstoreTrustedRootProblem([])).toMatch(/not a JSON object/)
    expect(sigstoreTrustedRootProblem({ mediaType: 'application/json' })).toMatch(/mediaType/)
  })

  it('refuses a Notation carrier', async () => {
    const carrier = {
      kind: 'notation',
      digest: image,
      mediaType: 'application/jose+json',
      envelope: new Uint8Array()
    } as const
    expect(await verifyCosign(carrier, image, keyed())).toEqual({
      verified: false,
      reason: 'a notation signature is not a cosign signature'
    })
  })
})
