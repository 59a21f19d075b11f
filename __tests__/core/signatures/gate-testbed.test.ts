// The signature gate in the whole step, in-process against the test bed: real signatures made by the signing kits
// and pushed into the test bed's registries as cosign and notation push them (cosign's .sig tag on Docker Hub,
// read anonymously, and Sigstore bundle and Notation referrers on an ACR, read with the step's Entra identity),
// chosen by an images file's trust: and verify:. What verifies is imported and says so in the results and the
// summary; what does not is never sent to importImage under enforce, and is imported with a warning under audit.
import { describe, expect, it } from '@jest/globals'
import { AUDIT_HINT, REFUSED_HINT } from '../../../src/core/signatures/gate.js'
import { joinSentences } from '../../../src/core/errors/user-error.js'
import { createHash, randomUUID } from 'node:crypto'
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runStep } from '../../../src/core/index.js'
import type { ImportResult } from '../../../src/core/execute/import-result.js'
import {
  cosignSignatureImage,
  cosignSignatureLayer,
  createSigningKey,
  createTestSigstore,
  sigstoreBundle,
  sigstoreBundleReferrer,
  type OciArtifact
} from '../../signing/cosign-kit.js'
import { DEV_ROOT_CA_NAME, makeCertificateAuthority, notationSignature } from '../../signing/notation-kit.js'
import { recordingHost, useTestbedInProcess } from '../fake-host.js'

/** The sentence that follows a refusal (enforce) and an audit warning: what to do about it. */
const REFUSED = ` ${joinSentences('', REFUSED_HINT).slice(2)}`
const AUDITED = ` ${joinSentences('', AUDIT_HINT).slice(2)}`

const testbed = useTestbedInProcess()

const HUB = 'docker.io'
const DEV = 'devacr.azurecr.io'
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json'
const RELEASE_IDENTITY = {
  issuer: 'https://token.actions.githubusercontent.com',
  subject: 'https://github.com/contoso/app/.github/workflows/release.yml@refs/tags/v1.4.2'
}

const releaseKey = createSigningKey()
const strangerKey = createSigningKey()
const sigstore = createTestSigstore()
const contosoCa = makeCertificateAuthority()
const devCa = makeCertificateAuthority({ commonName: DEV_ROOT_CA_NAME })
const releaseSigner = contosoCa.issueLeaf()

const sha = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`

interface Pushed {
  digest: string
  mediaType: string
  size: number
}

/** A small image of its own (a random layer) pushed to `host/repo:tag`. */
async function pushImage(host: string, repo: string, tag?: string): Promise<Pushed> {
  const backend = testbed().backend(host)
  const layer = Buffer.from(`layer ${randomUUID()}`)
  const config = Buffer.from(
    JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha(layer)] } })
  )
  await backend.putBlob(repo, layer)
  await backend.putBlob(repo, config)
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: sha(config),
        size: config.length
      },
      layers: [
        { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha(layer), size: layer.length }
      ]
    })
  )
  const digest = await backend.putManifest(repo, tag ?? sha(manifest), manifest, OCI_MANIFEST)
  return { digest, mediaType: OCI_MANIFEST, size: manifest.length }
}

async function pushIndex(host: string, repo: string, tag: string, children: Pushed[]): Promise<Pushed> {
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: children.map((child, i) => ({
        ...child,
        platform: { os: 'linux', architecture: ['amd64', 'arm64'][i] }
      }))
    })
  )
  const digest = await testbed().backend(host).putManifest(repo, tag, manifest, OCI_INDEX)
  return { digest, mediaType: OCI_INDEX, size: manifest.length }
}

async function pushArtifact(host: string, repo: string, artifact: OciArtifact): Promise<string> {
  const backend = testbed().backend(host)
  for (const blob of artifact.blobs) await backend.putBlob(repo, blob)
  return backend.putManifest(repo, artifact.tag ?? artifact.digest, artifact.manifest, artifact.mediaType)
}

/** cosign sign --key (offline, `--tlog-upload=false`): a `.sig` tag beside the image. */
const cosignSign = (host: string, repo: string, image: Pushed, key = releaseKey) =>
  pushArtifact(
    host,
    repo,
    cosignSignatureImage(image.digest, [cosignSignatureLayer({ imageDigest: image.digest, signer: { key } })])
  )

/** cosign v3 keyless: a Sigstore bundle referrer, certified by the test Fulcio and logged in the test Rekor. */
const cosignSignKeyless = (host: string, repo: string, image: Pushed) =>
  pushArtifact(
    host,
    repo,
    sigstoreBundleReferrer(
      image,
      sigstoreBundle({ imageDigest: image.digest, signer: { identity: RELEASE_IDENTITY }, sigstore })
    )
  )

async function notationSign(
  host: string,
  repo: string,
  image: Pushed,
  options: { format?: 'jws' | 'cose'; signer?: ReturnType<typeof contosoCa.issueLeaf> } = {}
): Promise<string> {
  const signature = notationSignature(image, options.signer ?? releaseSigner, { format: options.format })
  const backend = testbed().backend(host)
  for (const blob of signature.blobs) await backend.putBlob(repo, blob.bytes)
  return backend.putManifest(repo, signature.manifestDigest, signature.manifest, signature.manifestMediaType)
}

/** The trust policies of these tests, as an images file writes them (the parser refuses one that nothing uses). */
const POLICIES: Record<string, string[]> = {
  'release-key': ['  release-key:', '    cosign: { key: keys/release.pub, transparency-log: skip }'],
  'github-release': [
    '  github-release:',
    '    cosign:',
    `      issuer: ${RELEASE_IDENTITY.issuer}`,
    "      subject: 'https://github\\.com/contoso/app/\\.github/workflows/release\\.yml@refs/tags/v.+'",
    '      trusted-root: trusted_root.json'
  ],
  'contoso-ca': ['  contoso-ca:', '    notation: { trust-store: contoso-ca.pem }']
}

/** Runs the step on an images file that defines `policies` and lists `images` (its `images:` YAML). */
async function runImages(policies: string[], images: string[], inputs: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'gate-testbed-'))
  try {
    mkdirSync(join(dir, 'keys'))
    writeFileSync(join(dir, 'keys', 'release.pub'), releaseKey.publicKeyPem)
    writeFileSync(join(dir, 'contoso-ca.pem'), contosoCa.trustStorePems.join('\n'))
    writeFileSync(join(dir, 'trusted_root.json'), sigstore.trustedRootJson)
    const yaml = ['trust:', ...policies.flatMap((name) => POLICIES[name]), 'images:', ...images]
    writeFileSync(join(dir, 'images.yaml'), yaml.join('\n'))
    const host = recordingHost({ registry: 'prodacr', 'images-file': join(dir, 'images.yaml'), ...inputs })
    await runStep(host)
    return { host, results: JSON.parse(host.outputs.results ?? '[]') as ImportResult[] }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The importImage calls the test bed received for `repo`, by their source image. */
const importsOf = (repo: string) =>
  testbed()
    .imports.map((i) => (i.body as { source?: { sourceImage?: string } }).source?.sourceImage ?? '')
    .filter((image) => image.startsWith(`${repo}@`) || image.startsWith(`${repo}:`))

describe('an image signed with a trusted key or identity', () => {
  it("is imported by its digest, with what verified it in the results and the summary (cosign's .sig tag on Docker Hub)", async () => {
    const image = await pushImage(HUB, 'contoso/gate-keyed', '1.0')
    const signature = await cosignSign(HUB, 'contoso/gate-keyed', image)
    const { host, results } = await runImages(
      ['release-key'],
      [
        '  - source: docker.io/contoso/gate-keyed:1.0',
        '    targets: [gate/keyed:1.0]',
        '    verify: release-key'
      ]
    )
    expect(host.ending).toEqual(['succeeded '])
    expect(results[0]).toMatchObject({
      status: 'imported',
      digest: image.digest,
      signature: {
        verified: true,
        policy: 'release-key',
        kind: 'cosign',
        signer: releaseKey.fingerprint,
        digest: signature
      }
    })
    // The image by the digest that was verified, then its signature (a referrer the import copies).
    expect(importsOf('contoso/gate-keyed')).toEqual([
      `contoso/gate-keyed@${image.digest}`,
      `contoso/gate-keyed@${signature}`
    ])
    expect(host.summaries[0]).toContain('| ✅ release-key<br>cosign |')
    expect(host.lines).toContainEqual(
      expect.stringMatching(/^info Signature verified by release-key: cosign signature sha256:/)
    )
  }, 120_000)

  it('verifies a keyless Sigstore bundle and a Notation COSE signature, referrers of an ACR read with the Entra identity', async () => {
    const keyless = await pushImage(DEV, 'gate/keyless', '1.4.2')
    const bundle = await cosignSignKeyless(DEV, 'gate/keyless', keyless)
    const notary = await pushImage(DEV, 'gate/notary', '2.0')
    const envelope = await notationSign(DEV, 'gate/notary', notary, { format: 'cose' })
    const { host, results } = await runImages(
      ['github-release', 'release-key', 'contoso-ca'],
      [
        '  - source: devacr.azurecr.io/gate/keyless:1.4.2',
        '    targets: [gate/keyless:1.4.2]',
        '    verify: github-release',
        '  - source: devacr.azurecr.io/gate/notary:2.0',
        '    targets: [gate/notary:2.0]',
        '    verify: [release-key, contoso-ca]'
      ]
    )
    expect(host.ending).toEqual(['succeeded '])
    expect(results.map((r) => r.signature)).toEqual([
      {
        verified: true,
        policy: 'github-release',
        kind: 'sigstore-bundle',
        signer: `${RELEASE_IDENTITY.subject} (${RELEASE_IDENTITY.issuer})`,
        digest: bundle
      },
      {
        verified: true,
        policy: 'contoso-ca',
        kind: 'notation',
        signer: releaseSigner.leaf.subject,
        digest: envelope
      }
    ])
    // Signatures that verified are among the referrers the import copies.
    expect(await testbed().backend('prodacr.azurecr.io').headManifest('gate/notary', envelope)).toBe(envelope)
  }, 120_000)
  it('finds a Notation JWS signature in the referrers tag schema of a registry without the referrers API', async () => {
    const image = await pushImage(HUB, 'contoso/gate-tagschema', '1.0')
    const signature = await notationSign(HUB, 'contoso/gate-tagschema', image, { format: 'jws' })
    const listed = await testbed().backend(HUB).getManifest('contoso/gate-tagschema', signature)
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: [
          {
            mediaType: OCI_MANIFEST,
            digest: signature,
            size: listed!.body.length,
            artifactType: 'application/vnd.cncf.notary.signature'
          }
        ]
      })
    )
    await testbed()
      .backend(HUB)
      .putManifest('contoso/gate-tagschema', image.digest.replace(':', '-'), index, OCI_INDEX)
    const { results } = await runImages(
      ['contoso-ca'],
      [
        '  - source: docker.io/contoso/gate-tagschema:1.0',
        '    targets: [gate/tagschema:1.0]',
        '    verify: contoso-ca'
      ]
    )
    expect(results[0]).toMatchObject({
      status: 'imported',
      signature: { verified: true, policy: 'contoso-ca', kind: 'notation', digest: signature }
    })
  }, 120_000)
})

describe('an image no policy verifies, under enforce', () => {
  it('is not sent to importImage, fails with one line saying what was found and why, and the batch goes on', async () => {
    const refused = await pushImage(DEV, 'gate/refused', '1.0')
    await cosignSign(DEV, 'gate/refused', refused, strangerKey)
    await notationSign(DEV, 'gate/refused', refused, { signer: devCa.issueLeaf() })
    const signed = await pushImage(DEV, 'gate/accepted', '1.0')
    await notationSign(DEV, 'gate/accepted', signed)
    const { host, results } = await runImages(
      ['release-key', 'contoso-ca'],
      [
        '  - source: devacr.azurecr.io/gate/refused:1.0',
        '    targets: [gate/refused:1.0]',
        '    verify: [release-key, contoso-ca]',
        '  - source: devacr.azurecr.io/gate/accepted:1.0',
        '    targets: [gate/accepted:1.0]',
        '    verify: [release-key, contoso-ca]'
      ]
    )
    expect(results.map((r) => r.status)).toEqual(['failed', 'imported'])
    expect(results[0].error).toBe(
      'Signature not verified: 2 signatures found (cosign, notation); none verifies with release-key or contoso-ca: ' +
        "cosign: signed by another key (or altered since); notation: certificate chain ends at 'Contoso Dev Root CA', " +
        `not in the trust store.${REFUSED}`
    )
    expect(results[0].signature).toMatchObject({ verified: false, mode: 'enforce' })
    expect(importsOf('gate/refused')).toEqual([])
    expect(importsOf('gate/accepted')).toContain(`gate/accepted@${signed.digest}`)
    expect(host.ending).toEqual(['failed 1 of 2 imports failed (see the summary)'])
    expect(host.summaries[0]).toContain('| ❌ not verified |')
  }, 120_000)

  it('refuses an index whose only signature is on a platform manifest, naming the index digest', async () => {
    const amd64 = await pushImage(DEV, 'gate/multiarch')
    const arm64 = await pushImage(DEV, 'gate/multiarch')
    const index = await pushIndex(DEV, 'gate/multiarch', '1.0', [amd64, arm64])
    await notationSign(DEV, 'gate/multiarch', amd64)
    const { results } = await runImages(
      ['contoso-ca'],
      [
        '  - source: devacr.azurecr.io/gate/multiarch:1.0',
        '    targets: [gate/multiarch:1.0]',
        '    verify: contoso-ca'
      ]
    )
    expect(results[0]).toMatchObject({
      status: 'failed',
      error: `Signature not verified: no signature found for ${index.digest}; contoso-ca requires one.${REFUSED}`
    })
    expect(importsOf('gate/multiarch')).toEqual([])
  }, 120_000)

  it('refuses a valid signature of another image copied onto this one', async () => {
    const other = await pushImage(HUB, 'contoso/gate-moved', 'other')
    const image = await pushImage(HUB, 'contoso/gate-moved', '1.0')
    // The other image's .sig manifest, pushed under this image's .sig tag.
    const copied = cosignSignatureImage(image.digest, [
      cosignSignatureLayer({ imageDigest: other.digest, signer: { key: releaseKey } })
    ])
    await pushArtifact(HUB, 'contoso/gate-moved', copied)
    const { results } = await runImages(
      ['release-key'],
      [
        '  - source: docker.io/contoso/gate-moved:1.0',
        '    targets: [gate/moved:1.0]',
        '    verify: release-key'
      ]
    )
    expect(results[0].status).toBe('failed')
    expect(results[0].error).toMatch(
      /^Signature not verified: 1 signature found \(cosign\); none verifies with release-key: cosign: .*sha256:/
    )
    expect(importsOf('contoso/gate-moved')).toEqual([])
  }, 120_000)

  it('verifies in a dry run too: the refusal is what the dry run reports', async () => {
    const image = await pushImage(HUB, 'contoso/gate-dry', '1.0')
    const { host, results } = await runImages(
      ['release-key'],
      [
        '  - source: docker.io/contoso/gate-dry:1.0',
        '    targets: [gate/dry:1.0]',
        '    verify: release-key'
      ],
      { 'dry-run': 'true' }
    )
    expect(results[0]).toMatchObject({
      status: 'failed',
      error: `Signature not verified: no signature found for ${image.digest}; release-key requires one.${REFUSED}`
    })
    expect(host.ending[0]).toMatch(/^failed /)
  }, 120_000)
})

describe('verify-mode: audit', () => {
  it('imports an unsigned image, with a warning and a summary line in the same words', async () => {
    const image = await pushImage(HUB, 'contoso/gate-audit', '1.0')
    const { host, results } = await runImages(
      ['release-key'],
      [
        '  - source: docker.io/contoso/gate-audit:1.0',
        '    targets: [gate/audit:1.0]',
        '    verify: release-key',
        '    verify-mode: audit'
      ]
    )
    const reason = `no signature found for ${image.digest}; release-key requires one`
    expect(host.ending).toEqual(['succeeded '])
    expect(results[0]).toMatchObject({
      status: 'imported',
      signature: { verified: false, mode: 'audit', reason }
    })
    expect(host.lines).toContainEqual(
      `warning Signature not verified (verify-mode: audit, not enforced): ${reason}.${AUDITED}`
    )
    expect(host.summaries[0]).toContain(
      'signature not verified (verify-mode: audit, not enforced): no signature found for'
    )
    expect(importsOf('contoso/gate-audit')).toHaveLength(1)
  }, 120_000)
})
