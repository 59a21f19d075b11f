// A signature cosign made on the Sigstore public-good instance, verified offline with the trusted root the step
// ships: the proof that verifyCosign reads cosign's real format (not only the kit's) and that the shipped root is
// the public-good one (its Rekor key, Fulcio intermediate and CT log all take part).
import { describe, expect, it } from '@jest/globals'
import { verifyCosign } from '../../../src/core/signatures/cosign-verify.js'
import type { CosignPolicy } from '../../../src/core/entries/trust-policy.js'
import type { SignatureCarrier } from '../../../src/core/signatures/signature-check.js'
import {
  PUBLIC_GOOD_ANNOTATIONS,
  PUBLIC_GOOD_IDENTITY,
  PUBLIC_GOOD_IMAGE_DIGEST,
  PUBLIC_GOOD_PAYLOAD
} from '../../signing/cosign-public-good-fixture.js'
import { createTestSigstore } from '../../signing/cosign-kit.js'

const carrier: SignatureCarrier = {
  kind: 'cosign',
  digest: 'sha256:d1226e36bc8502978324cb2cb2116c6aa48edb2ea8f15b1c6f6f256ed43388f6',
  payload: PUBLIC_GOOD_PAYLOAD,
  annotations: PUBLIC_GOOD_ANNOTATIONS
}
const policy = (overrides: Partial<CosignPolicy> = {}): CosignPolicy => ({
  ...PUBLIC_GOOD_IDENTITY,
  subject: 'sozercan@gmail\\.com',
  transparencyLog: 'required',
  ...overrides
})

describe('a keyless cosign signature from the public-good instance', () => {
  it('verifies with the shipped public-good root, years after its 10-minute certificate expired', async () => {
    expect(await verifyCosign(carrier, PUBLIC_GOOD_IMAGE_DIGEST, policy())).toEqual({
      verified: true,
      signer: 'sozercan@gmail.com (https://github.com/login/oauth)'
    })
  })

  it('is refused for another identity, another issuer, another image, or under another root', async () => {
    expect(
      await verifyCosign(carrier, PUBLIC_GOOD_IMAGE_DIGEST, policy({ subject: 'sozercan@gmail' }))
    ).toEqual({
      verified: false,
      reason: "certificate identity 'sozercan@gmail.com' does not match"
    })
    const google = policy({ issuer: 'https://accounts.google.com' })
    expect(await verifyCosign(carrier, PUBLIC_GOOD_IMAGE_DIGEST, google)).toEqual({
      verified: false,
      reason: "issuer 'https://github.com/login/oauth' is not 'https://accounts.google.com'"
    })
    const other = `sha256:${'0'.repeat(64)}`
    expect(await verifyCosign(carrier, other, policy())).toEqual({
      verified: false,
      reason: 'signs sha256:623621b56649, not this image'
    })
    const testRoot = policy({ trustedRoot: createTestSigstore().trustedRoot })
    expect(await verifyCosign(carrier, PUBLIC_GOOD_IMAGE_DIGEST, testRoot)).toEqual({
      verified: false,
      reason: 'certificate chain does not end at the trusted root'
    })
  })
})
