// runStep, in-process, promoting signed images against the test bed (issue #10): each supply-chain fixture, ACR ->
// ACR and Docker Hub -> ACR, with the whole graph verified in the target's storage; referrers: false; a signature
// added after the first promotion; lock: true, an import onto the locked tag, and an identity that may not lock.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runStep } from '../../src/core/index.js'
import { startTestbed, type Testbed } from '../testbed/index.js'
import { cosignTag } from '../testbed/registry/supply-chain.js'
import { APPS, SUB_PROD, SUPPLY_CHAIN } from '../testbed/world.js'
import { recordingHost, TESTBED_SIGN_IN, useTestbedNetwork } from './fake-host.js'
import { pushSignature } from './push-signature.js'

const PROD = 'prodacr.azurecr.io'
const { acrSigned, acrMultiArch, dockerHubCosign, dockerHubReferrersTag } = SUPPLY_CHAIN

let testbed: Testbed
let restoreNetwork: () => void

beforeAll(async () => {
  testbed = await startTestbed()
  restoreNetwork = useTestbedNetwork(testbed)
}, 60000)
afterAll(async () => {
  restoreNetwork?.()
  await testbed?.stop()
})

async function run(inputs: Record<string, string>, signIn = () => TESTBED_SIGN_IN) {
  const host = recordingHost({ registry: 'prodacr', ...inputs }, signIn)
  await runStep(host)
  return host
}

/** The digests of `digests` that the target repository holds, read from the target's storage. */
async function held(repo: string, digests: string[]): Promise<string[]> {
  const found = await Promise.all(digests.map((d) => testbed.backend(PROD).headManifest(repo, d)))
  return digests.filter((d, i) => found[i] === d)
}

const referrerDigests = (names: string[], graph: typeof acrSigned) =>
  names.map((n) => graph.manifests[n].digest)

describe('promoting signed images (referrers)', () => {
  it('copies a Notation signature, an SPDX SBOM and the signature on the SBOM, ACR -> ACR', async () => {
    const host = await run({ source: 'devacr.azurecr.io/signed/app:1.0.0 => promo/app:1.0.0' })
    const [result] = host.results() as { status: string; referrers?: { digest: string }[] }[]
    expect(host.ending).toEqual(['succeeded '])
    expect(result.status).toBe('imported')
    const expected = referrerDigests(['signature', 'sbom', 'sbomSignature'], acrSigned)
    expect(result.referrers?.map((r) => r.digest).sort()).toEqual([...expected].sort())
    expect(await held('promo/app', expected)).toEqual(expected)
    expect(host.summaries[0]).toContain('| 2 signatures, 1 SBOM |')
  }, 120000)

  it("copies a multi-arch index's signature and each platform's attestation", async () => {
    const host = await run({ source: 'devacr.azurecr.io/signed/multiarch:1.0.0 => promo/multiarch:1.0.0' })
    expect(host.ending).toEqual(['succeeded '])
    const expected = referrerDigests(['indexSignature', 'amd64Attestation', 'arm64Attestation'], acrMultiArch)
    expect(await held('promo/multiarch', expected)).toEqual(expected)
    expect(host.summaries[0]).toContain('| 1 signature, 2 attestations |')
  }, 120000)

  it("copies cosign's .sig and .att tags from Docker Hub under the same tag names", async () => {
    const host = await run({ source: 'docker.io/contoso/cosigned:1.0 => hub/cosigned:1.0' })
    expect(host.ending).toEqual(['succeeded '])
    for (const suffix of ['sig', 'att'] as const) {
      const tag = cosignTag(dockerHubCosign.digest, suffix)
      expect(await testbed.backend(PROD).headManifest('hub/cosigned', tag)).toBe(
        dockerHubCosign.manifests[suffix].digest
      )
    }
  }, 120000)

  it('copies the referrers a registry without the API lists in the referrers tag schema', async () => {
    const host = await run({ source: 'docker.io/contoso/oci-signed:1.0 => hub/oci-signed:1.0' })
    expect(host.ending).toEqual(['succeeded '])
    const expected = referrerDigests(['signature', 'sbom'], dockerHubReferrersTag)
    expect(await held('hub/oci-signed', expected)).toEqual(expected)
  }, 120000)

  it('costs an unchanged multi-arch Docker Hub image no more pulls than without referrers (platforms from the target)', async () => {
    const source = 'docker.io/library/hello-world:latest => pulls/hello-world:1'
    await run({ source })
    const before = testbed.counters().dockerHubManifestGets
    expect((await run({ source, referrers: 'false' })).results()[0].status).toBe('unchanged')
    const without = testbed.counters().dockerHubManifestGets - before
    expect((await run({ source })).results()[0].status).toBe('unchanged')
    expect(testbed.counters().dockerHubManifestGets - before - without).toBe(without)
  }, 120000)

  it('copies none with referrers: false', async () => {
    const host = await run({
      source: 'devacr.azurecr.io/signed/app:1.0.0 => bare/app:1.0.0',
      referrers: 'false'
    })
    expect(host.ending).toEqual(['succeeded '])
    expect(
      await held('bare/app', referrerDigests(['signature', 'sbom', 'sbomSignature'], acrSigned))
    ).toEqual([])
  }, 120000)

  it('gives an unchanged image only the signature added to the source after the first promotion', async () => {
    const source = 'devacr.azurecr.io/signed/app:1.0.0 => later/app:1.0.0'
    await run({ source })
    const signature = await pushSignature(testbed, 'devacr.azurecr.io', 'signed/app', acrSigned.digest)
    const imports = testbed.imports.length
    const host = await run({ source })
    expect(host.results()[0].status).toBe('unchanged')
    expect(await held('later/app', [signature])).toEqual([signature])
    // One import: the new signature, by digest, untagged; not the image, not the referrers already there.
    expect(testbed.imports.slice(imports).map((i) => i.body)).toEqual([
      expect.objectContaining({
        source: expect.objectContaining({ sourceImage: `signed/app@${signature}` }),
        untaggedTargetRepositories: ['later/app']
      })
    ])
  }, 120000)
})

describe('referrers and lock per entry of the images file', () => {
  it('lets an entry and the defaults override the inputs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'referrers-file-'))
    const file = join(dir, 'images.yaml')
    writeFileSync(
      file,
      [
        'defaults:',
        '  referrers: false',
        'images:',
        '  - source: devacr.azurecr.io/signed/app:1.0.0',
        '    targets: file-a/app:1.0.0',
        '    lock: true',
        '  - source: devacr.azurecr.io/signed/app:1.0.0',
        '    targets: file-b/app:1.0.0',
        '    referrers: true'
      ].join('\n')
    )
    try {
      const host = await run({ 'images-file': file })
      expect(host.ending).toEqual(['succeeded '])
      const all = referrerDigests(['signature', 'sbom', 'sbomSignature'], acrSigned)
      expect(await held('file-a/app', all)).toEqual([])
      expect(testbed.changeableAttributes(PROD, 'file-a/app', '1.0.0')).toMatchObject({ writeEnabled: false })
      expect(await held('file-b/app', all)).toEqual(all)
      expect(testbed.changeableAttributes(PROD, 'file-b/app', '1.0.0')).toMatchObject({ writeEnabled: true })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 120000)
})

describe('a source whose referrers cannot be listed', () => {
  it('imports the image with one notice that says why, and what would let the runner list them', async () => {
    const importOnly = () => ({
      ...TESTBED_SIGN_IN,
      signIn: {
        kind: 'client-secret' as const,
        tenantId: APPS.importOnly.tenantId,
        clientId: APPS.importOnly.appId,
        clientSecret: APPS.importOnly.clientSecret
      }
    })
    const host = await run({ source: 'devacr.azurecr.io/signed/app:1.0.0 => noread/app:1.0.0' }, importOnly)
    expect(host.results()[0]).toMatchObject({ status: 'imported', sourceNotReadable: true })
    expect(host.lines.filter((line) => line.startsWith('notice devacr'))).toEqual([
      expect.stringMatching(
        /^notice devacr\.azurecr\.io\/signed\/app:1\.0\.0 is not readable from the runner \(.*HTTP 401.*\): Azure imports it server-side on every run .* copied only where the runner can read it \(network access, and AcrPull or "Container Registry Data Importer and Data Reader" on devacr\.azurecr\.io\)$/
      )
    ])
    // No warning asks again for what the notice said (this identity cannot read the target either: that one stays).
    expect(host.lines.filter((line) => line.startsWith('warning') && line.includes('devacr'))).toEqual([])
  }, 120000)
})

describe('locking the target tags', () => {
  it('locks the tag and digest; a later import onto it fails with the unlock hint', async () => {
    const host = await run({ source: 'devacr.azurecr.io/signed/app:1.0.0 => locked/app:1.0.0', lock: 'true' })
    expect(host.ending).toEqual(['succeeded '])
    expect(testbed.changeableAttributes(PROD, 'locked/app', '1.0.0')).toMatchObject({
      writeEnabled: false,
      deleteEnabled: false
    })
    expect(testbed.changeableAttributes(PROD, 'locked/app', acrSigned.digest)).toMatchObject({
      writeEnabled: false
    })
    expect(host.summaries[0]).toContain('🔒 locked')
    const again = await run({ source: 'devacr.azurecr.io/app:1.1.0 => locked/app:1.0.0', force: 'true' })
    expect(again.ending[0]).toMatch(
      /^failed .*The target tag is locked .*az acr repository update --name .* --write-enabled true/
    )
    expect(again.ending[0]).not.toMatch(/force: true/)
  }, 120000)

  it('says a queued import (wait: false) was neither locked nor given its referrers', async () => {
    const host = await run({
      source: 'devacr.azurecr.io/signed/app:1.0.0 => queued-lock/app:1.0.0',
      wait: 'false',
      lock: 'true'
    })
    expect(host.results()[0].status).toBe('queued')
    expect(host.lines).toContain('warning The target tags were not locked: lock needs wait: true')
    expect(host.lines).toContain(
      'info Signatures, SBOMs and attestations are copied only with wait: true; none were looked for'
    )
  }, 120000)

  it('names the roles that may lock when the identity may only import', async () => {
    const reader = () => ({
      ...TESTBED_SIGN_IN,
      signIn: {
        kind: 'client-secret' as const,
        tenantId: APPS.importReader.tenantId,
        clientId: APPS.importReader.appId,
        clientSecret: APPS.importReader.clientSecret
      },
      subscriptionId: SUB_PROD
    })
    const host = await run(
      { source: 'devacr.azurecr.io/signed/app:1.0.0 => reader/app:1.0.0', lock: 'true' },
      reader
    )
    expect(host.results()[0].status).toBe('failed')
    expect(host.ending[0]).toMatch(
      /^failed Could not lock prodacr.azurecr.io\/reader\/app:1.0.0: .*HTTP 40[13].*"AcrPush" or "Container Registry Repository Writer" on prodacr.azurecr.io/
    )
    expect(host.lines.join('\n')).not.toContain(APPS.importReader.clientSecret)
  }, 120000)
})
