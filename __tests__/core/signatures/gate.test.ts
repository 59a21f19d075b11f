// The signature gate's decisions over a fake registry and fake verifiers: what verifies an entry and is recorded on
// its plan, the one line a refusal says (what was found and why none passed), enforce against audit, an index
// verified as the index, a source the runner cannot read, and one read per image for every entry that names it.
import { describe, expect, it } from '@jest/globals'
import type { EntryVerification } from '../../../src/core/entries/trust-policy.js'
import { AUDIT_HINT, gateImports, REFUSED_HINT, type GateContext } from '../../../src/core/signatures/gate.js'
import { joinSentences } from '../../../src/core/errors/user-error.js'
import { entryLogLines } from '../entry-log-lines.js'
import {
  cosignPolicy,
  FakeRegistry,
  fakeVerifiers,
  notationPolicy,
  plannedImport
} from './gate-fake-registry.js'

/** The sentence that follows a refusal (enforce) and an audit warning: what to do about it. */
const REFUSED = ` ${joinSentences('', REFUSED_HINT).slice(2)}`
const AUDITED = ` ${joinSentences('', AUDIT_HINT).slice(2)}`

const RELEASE_KEY = cosignPolicy('release-key', 'release')
const CONTOSO_CA = notationPolicy('contoso-ca', 'Contoso Root CA')
const enforce = (...policies: EntryVerification['policies']): EntryVerification => ({
  policies,
  mode: 'enforce'
})
const audit = (...policies: EntryVerification['policies']): EntryVerification => ({ policies, mode: 'audit' })

function gate(registry: FakeRegistry) {
  const sources = registry.sources()
  const verifiers = fakeVerifiers()
  const context: GateContext = { sources, verifiers }
  return { context, sources, verifiers }
}

describe('an image signed with a trusted key', () => {
  it("passes with what verified it on the plan: the policy, the kind, the signer, the signature's digest", async () => {
    const registry = new FakeRegistry()
    const image = registry.image('one', '1.0')
    const signature = registry.cosignSignature(image.digest, [{ key: 'release' }])
    const { context } = gate(registry)
    const [plan] = await gateImports([plannedImport(image.digest, { verify: enforce(RELEASE_KEY) })], context)
    expect(plan.decision).toEqual({ kind: 'import' })
    expect(plan.signature).toEqual({
      verified: true,
      policy: 'release-key',
      kind: 'cosign',
      signer: 'SHA256:fingerprint-of-release',
      digest: signature
    })
    expect(entryLogLines(plan.log)).toEqual([
      `Signature verified by release-key: cosign signature ${signature.slice(0, 19)}, signed by SHA256:fingerprint-of-release`
    ])
  })

  it('passes when any one of the chosen policies verifies any one signature (a second layer, a second policy)', async () => {
    const registry = new FakeRegistry()
    const image = registry.image('two')
    registry.cosignSignature(image.digest, [{ key: 'stranger' }, { key: 'other-release' }])
    const bundle = registry.bundle(image, 'release')
    const { context } = gate(registry)
    const verify = enforce(cosignPolicy('old-key', 'other-release'), RELEASE_KEY)
    const [plan] = await gateImports([plannedImport(image.digest, { verify })], context)
    expect(plan.signature).toMatchObject({ verified: true, policy: 'old-key', kind: 'cosign' })
    const [byBundle] = await gateImports(
      [plannedImport(image.digest, { verify: enforce(RELEASE_KEY) })],
      gate(registry).context
    )
    expect(byBundle.signature).toMatchObject({ verified: true, kind: 'sigstore-bundle', digest: bundle })
  })

  it('verifies a Notation signature against the image as the registry serves it, its COSE bytes intact', async () => {
    const registry = new FakeRegistry()
    const image = registry.image('three')
    registry.notation(image, 'Contoso Root CA', { envelope: 'cose' })
    const { context, verifiers } = gate(registry)
    const [plan] = await gateImports([plannedImport(image.digest, { verify: enforce(CONTOSO_CA) })], context)
    expect(plan.signature).toMatchObject({
      verified: true,
      kind: 'notation',
      signer: 'CN=release by Contoso Root CA'
    })
    expect(verifiers.images).toEqual([image])
  })

  it('finds a Notation signature that types itself in its config (OCI 1.0) in the referrers tag schema', async () => {
    const registry = new FakeRegistry(false)
    const image = registry.image('four')
    registry.notation(image, 'Contoso Root CA', { inConfig: true })
    registry.referrersTagIndex(image.digest)
    const { context } = gate(registry)
    const [plan] = await gateImports([plannedImport(image.digest, { verify: enforce(CONTOSO_CA) })], context)
    expect(plan.signature).toMatchObject({ verified: true, kind: 'notation' })
  })
})

describe('an image that no chosen policy verifies, under enforce', () => {
  it('fails with one line: what was found, and for each signature why it did not verify; no import follows', async () => {
    const registry = new FakeRegistry()
    const image = registry.image('five')
    registry.cosignSignature(image.digest, [{ key: 'stranger' }])
    registry.notation(image, 'Contoso Dev Root CA')
    const { context } = gate(registry)
    const [plan] = await gateImports(
      [plannedImport(image.digest, { verify: enforce(RELEASE_KEY, CONTOSO_CA) })],
      context
    )
    const reason =
      '2 signatures found (cosign, notation); none verifies with release-key or contoso-ca: cosign: signed by ' +
      "another key; notation: certificate chain ends at 'Contoso Dev Root CA', not in the trust store"
    expect(plan.decision).toEqual({ kind: 'fail', error: `Signature not verified: ${reason}.${REFUSED}` })
    expect(plan.signature).toEqual({ verified: false, mode: 'enforce', reason })
  })

  it('says when there is no signature at all, naming the digest and the policy', async () => {
    const registry = new FakeRegistry()
    const image = registry.image('six')
    const [plan] = await gateImports(
      [plannedImport(image.digest, { verify: enforce(RELEASE_KEY) })],
      gate(registry).context
    )
    expect(plan.decision).toEqual({
      kind: 'fail',
      error: `Signature not verified: no signature found for ${image.digest}; release-key requires one.${REFUSED}`
    })
  })

  it('does not let an index through on a signature of one of its platform manifests', async () => {
    const registry = new FakeRegistry()
    const amd64 = registry.image('amd64')
    const arm64 = registry.image('arm64')
    const index = registry.index([amd64, arm64], '1.0')
    registry.cosignSignature(amd64.digest, [{ key: 'release' }])
    registry.notation(arm64, 'Contoso Root CA')
    const [plan] = await gateImports(
      [plannedImport(index.digest, { verify: enforce(RELEASE_KEY, CONTOSO_CA) })],
      gate(registry).context
    )
    expect(plan.decision).toMatchObject({
      kind: 'fail',
      error: expect.stringContaining('no signature found')
    })
  })

  it('refuses a valid signature of another image moved onto this one, saying what it signs', async () => {
    const registry = new FakeRegistry()
    const image = registry.image('seven')
    const other = registry.image('other')
    registry.cosignSignature(image.digest, [{ key: 'release', signs: other.digest }])
    registry.notation(image, 'Contoso Root CA', { signs: other })
    const [plan] = await gateImports(
      [plannedImport(image.digest, { verify: enforce(RELEASE_KEY, CONTOSO_CA) })],
      gate(registry).context
    )
    expect(plan.signature).toEqual({
      verified: false,
      mode: 'enforce',
      reason:
        '2 signatures found (cosign, notation); none verifies with release-key or contoso-ca: ' +
        `cosign: signs ${other.digest.slice(0, 19)}…, not this image; ` +
        `notation: signs ${other.digest.slice(0, 19)}…, not this image`
    })
  })

  it('says which policies could not check a signature of another scheme', async () => {
    const registry = new FakeRegistry()
    const image = registry.image('eight')
    registry.notation(image, 'Contoso Root CA')
    const [plan] = await gateImports(
      [plannedImport(image.digest, { verify: enforce(RELEASE_KEY) })],
      gate(registry).context
    )
    expect(plan.signature).toMatchObject({
      reason:
        '1 signature found (notation); none verifies with release-key: notation: release-key is not a Notation policy'
    })
  })

  it('names the policy beside each reason when two policies of one scheme refuse one signature differently', async () => {
    const registry = new FakeRegistry()
    const image = registry.image('nine')
    registry.notation(image, 'Contoso Dev Root CA')
    const verifiers = fakeVerifiers()
    const strict = notationPolicy('strict-ca', 'Strict CA')
    const [plan] = await gateImports([plannedImport(image.digest, { verify: enforce(CONTOSO_CA, strict) })], {
      sources: registry.sources(),
      verifiers: {
        ...verifiers,
        notation: async (carrier, descriptor, policy) =>
          policy.trustStorePems[0] === 'Strict CA'
            ? { verified: false, reason: 'signing time outside the validity of the chain' }
            : verifiers.notation(carrier, descriptor, policy)
      }
    })
    expect(plan.signature).toMatchObject({
      reason:
        '1 signature found (notation); none verifies with contoso-ca or strict-ca: notation: certificate chain ends at ' +
        "'Contoso Dev Root CA', not in the trust store (contoso-ca), signing time outside the validity of the chain (strict-ca)"
    })
  })

  it('refuses a signature whose verifier throws, and the batch goes on', async () => {
    const registry = new FakeRegistry()
    const image = registry.image('ten')
    registry.cosignSignature(image.digest, [{ key: 'release' }])
    const [plan] = await gateImports([plannedImport(image.digest, { verify: enforce(RELEASE_KEY) })], {
      sources: registry.sources(),
      verifiers: {
        ...fakeVerifiers(),
        cosign: async () => {
          throw new Error('unexpected ASN.1 tag')
        }
      }
    })
    expect(plan.signature).toMatchObject({
      reason:
        '1 signature found (cosign); none verifies with release-key: cosign: could not be checked: unexpected ASN.1 tag'
    })
  })

  it('counts a signature whose blob is gone as found, and says why it could not be read', async () => {
    const registry = new FakeRegistry()
    const image = registry.image('eleven')
    const signature = registry.cosignSignature(image.digest, [{ key: 'release' }])
    const layer = JSON.parse(registry.manifests.get(signature)!.body.toString()).layers[0].digest as string
    registry.blobs.delete(layer)
    const [plan] = await gateImports(
      [plannedImport(image.digest, { verify: enforce(RELEASE_KEY) })],
      gate(registry).context
    )
    expect(plan.signature).toMatchObject({
      reason: `1 signature found (cosign); none verifies with release-key: cosign: its blob ${layer} is not in registry.example.com/app`
    })
  })
})

describe('what the refusal line says of many signatures and of signatures it could not look for', () => {
  it('says a reason once, with how often it came', async () => {
    const registry = new FakeRegistry()
    const image = registry.image('fifteen')
    registry.cosignSignature(image.digest, [{ key: 'stranger' }, { key: 'intruder' }])
    const [plan] = await gateImports(
      [plannedImport(image.digest, { verify: enforce(RELEASE_KEY) })],
      gate(registry).context
    )
    expect(plan.signature).toMatchObject({
      reason: '2 signatures found (cosign); none verifies with release-key: 2× cosign: signed by another key'
    })
  })

  it('reads at most 32 signatures of one digest and says how many more there were', async () => {
    const registry = new FakeRegistry()
    const image = registry.image('sixteen')
    for (let i = 0; i < 34; i++) registry.notation(image, `Stranger CA ${i}`)
    const [plan] = await gateImports(
      [plannedImport(image.digest, { verify: enforce(CONTOSO_CA) })],
      gate(registry).context
    )
    expect(plan.signature).toMatchObject({
      reason: expect.stringMatching(
        /^34 signatures found \(notation\); none verifies with contoso-ca: .*; and \d+ more$/
      )
    })
    expect(registry.calls.filter((c) => c.startsWith('GET /v2/app/blobs/'))).toHaveLength(32)
  })

  it('does not call it "no signature" when the referrers could not be listed: it says why', async () => {
    const registry = new FakeRegistry()
    registry.referrersStatus = 403
    const image = registry.image('seventeen')
    const [plan] = await gateImports(
      [plannedImport(image.digest, { verify: enforce(CONTOSO_CA) })],
      gate(registry).context
    )
    expect(plan.signature).toMatchObject({
      reason: expect.stringMatching(
        new RegExp(
          `^no signature could be found for ${image.digest} \\(the referrers could not be listed: registry\\.example\\.com/app answered HTTP 403 DENIED .*\\); contoso-ca requires one$`
        )
      )
    })
  })
})

describe('verify-mode: audit', () => {
  it('lets the import go on, with a warning in the same words, and records the failure', async () => {
    const registry = new FakeRegistry()
    const image = registry.image('twelve')
    registry.cosignSignature(image.digest, [{ key: 'stranger' }])
    const [plan] = await gateImports(
      [plannedImport(image.digest, { verify: audit(RELEASE_KEY) })],
      gate(registry).context
    )
    const reason = '1 signature found (cosign); none verifies with release-key: cosign: signed by another key'
    expect(plan.decision).toEqual({ kind: 'import' })
    expect(plan.signature).toEqual({ verified: false, mode: 'audit', reason })
    expect(entryLogLines(plan.log)).toEqual([
      `warning: Signature not verified (verify-mode: audit, not enforced): ${reason}.${AUDITED}`
    ])
  })
})

describe('which entries the gate looks at', () => {
  it('verifies an unchanged entry too, and leaves entries without a policy and failed ones alone', async () => {
    const registry = new FakeRegistry()
    const image = registry.image('thirteen')
    const { context, sources } = gate(registry)
    const failed = { kind: 'fail' as const, error: 'Source not found' }
    const plans = await gateImports(
      [
        plannedImport(image.digest, { verify: enforce(RELEASE_KEY) }, { decision: { kind: 'unchanged' } }),
        plannedImport(image.digest),
        plannedImport(image.digest, { verify: enforce(RELEASE_KEY) }, { decision: failed })
      ],
      context
    )
    expect(plans.map((p) => p.decision.kind)).toEqual(['fail', 'import', 'fail'])
    expect(plans[2].decision).toBe(failed)
    expect(plans.slice(1).map((p) => p.signature)).toEqual([undefined, undefined])
    expect(sources.uses).toBe(1)
  })

  it('reads an image once for every entry that imports it with the same policies, and decides each alike', async () => {
    const registry = new FakeRegistry()
    const image = registry.image('fourteen')
    registry.cosignSignature(image.digest, [{ key: 'release' }])
    const { context, sources, verifiers } = gate(registry)
    const verify = enforce(RELEASE_KEY)
    const plans = await gateImports(
      [1, 2, 3].map((n) => plannedImport(image.digest, { verify, targetTags: [`app:${n}`] })),
      context
    )
    expect(plans.map((p) => p.signature?.verified)).toEqual([true, true, true])
    expect(sources.uses).toBe(1)
    expect(verifiers.checks).toEqual(['cosign release'])
    expect(registry.calls.filter((c) => c.includes('/referrers/'))).toHaveLength(1)
  })

  it('verifies each digest of a tag pattern on its own', async () => {
    const registry = new FakeRegistry()
    const signed = registry.image('1.27.1')
    const unsigned = registry.image('1.27.0')
    registry.cosignSignature(signed.digest, [{ key: 'release' }])
    const verify = enforce(RELEASE_KEY)
    const plans = await gateImports(
      [plannedImport(signed.digest, { verify }), plannedImport(unsigned.digest, { verify })],
      gate(registry).context
    )
    expect(plans.map((p) => p.decision.kind)).toEqual(['import', 'fail'])
  })
})

describe('a source the runner cannot read', () => {
  const hidden = (verify: EntryVerification) =>
    plannedImport(
      undefined,
      { verify },
      {
        reference: { registry: 'devacr.azurecr.io', repository: 'app', tag: '1.0' },
        access: { kind: 'resourceId', registry: { id: '/subscriptions/x/registries/devacr' } as never },
        source: { kind: 'unreadable', status: 403, reason: 'devacr.azurecr.io answered HTTP 403 DENIED' }
      }
    )

  it('fails under enforce, saying what would let the runner read its signatures', async () => {
    const { context, sources } = gate(new FakeRegistry())
    const [plan] = await gateImports([hidden(enforce(RELEASE_KEY))], context)
    expect(plan.decision).toEqual({
      kind: 'fail',
      error:
        'Signature not verified: the signatures of devacr.azurecr.io/app:1.0 cannot be checked: the runner cannot ' +
        "read it (devacr.azurecr.io answered HTTP 403 DENIED). Grant the runner's identity pull access to " +
        'devacr.azurecr.io (AcrPull, or "Container Registry Data Importer and Data Reader") and network access to ' +
        'it, so that it can read the signatures.'
    })
    expect(sources.uses).toBe(0)
  })

  it('warns under audit, and the import goes on', async () => {
    const [plan] = await gateImports([hidden(audit(RELEASE_KEY))], gate(new FakeRegistry()).context)
    expect(plan.decision).toEqual({ kind: 'import' })
    expect(entryLogLines(plan.log)).toEqual([
      expect.stringMatching(
        /^warning: Signature not verified \(verify-mode: audit, not enforced\): the signatures of devacr/
      )
    ])
  })

  it('fails under enforce a source whose digest could not be read for another reason', async () => {
    const [plan] = await gateImports(
      [plannedImport(undefined, { verify: enforce(RELEASE_KEY) })],
      gate(new FakeRegistry()).context
    )
    expect(plan.decision).toEqual({
      kind: 'fail',
      error:
        'Signature not verified: the signatures of registry.example.com/app:1.0 cannot be checked: its digest could ' +
        'not be read (HTTP 503). Run the step again once the source registry answers; the gate lets nothing ' +
        'through unread.'
    })
  })
})
