// The action's bundle promoting signed images against the test bed (issue #10): every supply-chain fixture, ACR ->
// ACR and Docker Hub -> ACR, with the whole graph verified in the target's storage and no secret shown with debug
// on; referrers: false; a signature added after the first promotion; lock: true and an import onto the locked tag;
// an identity that may import but not lock.
import { describe, expect, it } from '@jest/globals'
import { pushSignature } from '../core/push-signature.js'
import { useTestbed } from '../testbed/use-testbed.js'
import { cosignTag } from '../testbed/registry/supply-chain.js'
import type { ActionRun } from './run-action.js'
import { APPS, SUPPLY_CHAIN } from '../testbed/world.js'
import {
  expectOneLineFailure,
  expectSuccess,
  PROD,
  resultsOf,
  runWithOidc,
  secretsSeenBy
} from './e2e-steps.js'

const testbed = useTestbed()
const { acrSigned, acrMultiArch, dockerHubCosign, dockerHubReferrersTag } = SUPPLY_CHAIN

/** The digests of `digests` that the target repository holds, read from the target's storage. */
async function held(repo: string, digests: string[]): Promise<string[]> {
  const found = await Promise.all(digests.map((d) => testbed.backend(PROD).headManifest(repo, d)))
  return digests.filter((d, i) => found[i] === d)
}
/** Like `held`, failing with what the step said about referrers, which is what explains a missing one. */
async function expectHeld(run: ActionRun, repo: string, digests: string[]): Promise<void> {
  const found = await held(repo, digests)
  if (found.length === digests.length) return
  const said = run.stdout
    .split('\n')
    .filter((l) => /referrer|warning/i.test(l) && !l.startsWith('::add-mask::'))
  throw new Error(
    `${PROD}/${repo} lacks ${digests.filter((d) => !found.includes(d)).join(', ')}; the step said:\n${said.join('\n')}`
  )
}
const digestsOf = (graph: typeof acrSigned, names: string[]) => names.map((n) => graph.manifests[n].digest)

describe('the action promoting signed images', () => {
  it('copies every fixture graph, ACR -> ACR and Docker Hub -> ACR, and shows no secret with debug on', async () => {
    const before = testbed.requests.length
    const run = await runWithOidc(
      testbed,
      {
        source: [
          'devacr.azurecr.io/signed/app:1.0.0 => gh-signed/app:1.0.0',
          'devacr.azurecr.io/signed/multiarch:1.0.0 => gh-signed/multiarch:1.0.0',
          'docker.io/contoso/cosigned:1.0 => gh-signed/cosigned:1.0',
          'docker.io/contoso/oci-signed:1.0 => gh-signed/oci-signed:1.0'
        ].join('\n')
      },
      { debug: true }
    )
    expectSuccess(run)
    expect(resultsOf(run).map((r) => r.status)).toEqual(['imported', 'imported', 'imported', 'imported'])
    const app = digestsOf(acrSigned, ['signature', 'sbom', 'sbomSignature'])
    await expectHeld(run, 'gh-signed/app', app)
    const multiArch = digestsOf(acrMultiArch, ['indexSignature', 'amd64Attestation', 'arm64Attestation'])
    await expectHeld(run, 'gh-signed/multiarch', multiArch)
    for (const suffix of ['sig', 'att'] as const) {
      expect(
        await testbed
          .backend(PROD)
          .headManifest('gh-signed/cosigned', cosignTag(dockerHubCosign.digest, suffix))
      ).toBe(dockerHubCosign.manifests[suffix].digest)
    }
    const ociSigned = digestsOf(dockerHubReferrersTag, ['signature', 'sbom'])
    await expectHeld(run, 'gh-signed/oci-signed', ociSigned)
    expect(run.summary).toContain('| 2 signatures, 1 SBOM |')
    expect(run.summary).toContain('| 1 signature, 2 attestations |')

    const shown = [
      run.stdout
        .split('\n')
        .filter((line) => !line.startsWith('::add-mask::'))
        .join('\n'),
      run.stderr,
      JSON.stringify(run.outputs),
      run.summary
    ].join('\n')
    const secrets = secretsSeenBy(testbed.requests.slice(before))
    expect(secrets.length).toBeGreaterThan(4)
    expect(secrets.filter((secret) => shown.includes(secret))).toEqual([])
  }, 240_000)

  it('copies none with referrers: false', async () => {
    const run = await runWithOidc(testbed, {
      source: 'devacr.azurecr.io/signed/app:1.0.0 => gh-bare/app:1.0.0',
      referrers: 'false'
    })
    expectSuccess(run)
    expect(await held('gh-bare/app', digestsOf(acrSigned, ['signature', 'sbom', 'sbomSignature']))).toEqual(
      []
    )
  }, 120_000)

  it('gives an unchanged image the signature added to the source after the first promotion, and nothing else', async () => {
    const source = 'devacr.azurecr.io/signed/app:1.0.0 => gh-later/app:1.0.0'
    expectSuccess(await runWithOidc(testbed, { source }))
    const signature = await pushSignature(testbed, 'devacr.azurecr.io', 'signed/app', acrSigned.digest)
    const posts = testbed.counters().importImagePosts
    const run = await runWithOidc(testbed, { source })
    expectSuccess(run)
    expect(resultsOf(run)[0].status).toBe('unchanged')
    await expectHeld(run, 'gh-later/app', [signature])
    expect(testbed.counters().importImagePosts).toBe(posts + 1)
  }, 180_000)

  it('locks the release tag; a later import onto it fails with the hint that unlocks it', async () => {
    const run = await runWithOidc(testbed, {
      source: 'devacr.azurecr.io/signed/app:1.0.0 => gh-locked/app:1.0.0',
      lock: 'true'
    })
    expectSuccess(run)
    expect(testbed.changeableAttributes(PROD, 'gh-locked/app', '1.0.0')).toMatchObject({
      writeEnabled: false,
      deleteEnabled: false
    })
    expect(run.summary).toContain('🔒 locked')
    const again = await runWithOidc(testbed, {
      source: 'devacr.azurecr.io/app:1.1.0 => gh-locked/app:1.0.0',
      force: 'true'
    })
    const line = expectOneLineFailure(again)
    expect(line).toMatch(/The target tag is locked .*az acr repository update --name .* --write-enabled true/)
    expect(line).not.toMatch(/use force: true/)
  }, 180_000)

  it('names the roles that may lock when the identity may only import', async () => {
    const run = await runWithOidc(
      testbed,
      {
        source: 'devacr.azurecr.io/signed/app:1.0.0 => gh-reader/app:1.0.0',
        lock: 'true',
        'client-id': APPS.importReader.appId
      },
      { subject: 'repo:contoso/app:environment:staging' }
    )
    const line = expectOneLineFailure(run)
    expect(line).toMatch(
      /Could not lock prodacr\.azurecr\.io\/gh-reader\/app:1\.0\.0: .*"AcrPush" or "Container Registry Repository Writer" on prodacr\.azurecr\.io/
    )
  }, 120_000)
})
