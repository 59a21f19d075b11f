// Promoting signed images (issue #10) through each host's bundle, with debug logging on: every supply-chain
// fixture, ACR -> ACR and Docker Hub -> ACR, with the whole graph verified in the target's storage and no secret
// shown; referrers: false; a signature added after the first promotion; lock: true and an import onto the locked
// tag; an identity that may import but not lock. A test pushes a signature to the source, so each platform has a
// test bed of its own.
import { expect, it } from '@jest/globals'
import { pushSignature } from '../core/push-signature.js'
import { cosignTag } from '../testbed/registry/supply-chain.js'
import { SUPPLY_CHAIN } from '../testbed/world.js'
import { expectOneLineFailure, expectSucceeded, resultsOf } from './expect-run.js'
import type { HostRun, Step } from './host.js'
import { ACTION_AND_TASK_ON, NODE20, onEachHost } from './on-each-host.js'
import { expectNoSecretShown, secretsOnTheWire } from './secrets.js'
import { PROD } from './testbed-reads.js'

const { acrSigned, acrMultiArch, dockerHubCosign, dockerHubReferrersTag } = SUPPLY_CHAIN
const digestsOf = (graph: typeof acrSigned, names: string[]) => names.map((n) => graph.manifests[n].digest)

onEachHost('promoting signed images', ACTION_AND_TASK_ON(NODE20), (host, testbed) => {
  const run = (inputs: Step['inputs'], step: Omit<Step, 'inputs'> = {}): Promise<HostRun> =>
    host.run(testbed, { inputs, debug: true, ...step })
  const repo = (name: string): string => `${host.id}-${name}`

  /** The digests of `digests` that the target repository holds, read from the target's storage. */
  async function held(target: string, digests: string[]): Promise<string[]> {
    const found = await Promise.all(digests.map((d) => testbed.backend(PROD).headManifest(target, d)))
    return digests.filter((d, i) => found[i] === d)
  }
  /** Like `held`, failing with what the step said about referrers, which is what explains a missing one. */
  async function expectHeld(step: HostRun, target: string, digests: string[]): Promise<void> {
    const found = await held(target, digests)
    if (found.length === digests.length) return
    const said = step.shown.split('\n').filter((l) => /referrer|warning/i.test(l))
    throw new Error(
      `${PROD}/${target} lacks ${digests.filter((d) => !found.includes(d)).join(', ')}; the step said:\n${said.join('\n')}`
    )
  }

  it('copies every fixture graph, ACR -> ACR and Docker Hub -> ACR, and shows no secret with debug on', async () => {
    const before = testbed.requests.length
    const step = await run({
      source: [
        `devacr.azurecr.io/signed/app:1.0.0 => ${repo('signed')}/app:1.0.0`,
        `devacr.azurecr.io/signed/multiarch:1.0.0 => ${repo('signed')}/multiarch:1.0.0`,
        `docker.io/contoso/cosigned:1.0 => ${repo('signed')}/cosigned:1.0`,
        `docker.io/contoso/oci-signed:1.0 => ${repo('signed')}/oci-signed:1.0`
      ].join('\n')
    })
    expectSucceeded(step)
    expect(resultsOf(step).map((r) => r.status)).toEqual(['imported', 'imported', 'imported', 'imported'])
    await expectHeld(
      step,
      `${repo('signed')}/app`,
      digestsOf(acrSigned, ['signature', 'sbom', 'sbomSignature'])
    )
    const multiArch = digestsOf(acrMultiArch, ['indexSignature', 'amd64Attestation', 'arm64Attestation'])
    await expectHeld(step, `${repo('signed')}/multiarch`, multiArch)
    for (const suffix of ['sig', 'att'] as const) {
      expect(
        await testbed
          .backend(PROD)
          .headManifest(`${repo('signed')}/cosigned`, cosignTag(dockerHubCosign.digest, suffix))
      ).toBe(dockerHubCosign.manifests[suffix].digest)
    }
    const ociSigned = digestsOf(dockerHubReferrersTag, ['signature', 'sbom'])
    await expectHeld(step, `${repo('signed')}/oci-signed`, ociSigned)
    expect(step.summary).toContain('| 2 signatures, 1 SBOM |')
    expect(step.summary).toContain('| 1 signature, 2 attestations |')

    expect(secretsOnTheWire(testbed.requests.slice(before)).length).toBeGreaterThan(4)
    expectNoSecretShown(step, testbed)
  }, 240_000)

  it('copies none with referrers: false', async () => {
    const step = await run({
      source: `devacr.azurecr.io/signed/app:1.0.0 => ${repo('bare')}/app:1.0.0`,
      referrers: 'false'
    })
    expectSucceeded(step)
    const referrers = digestsOf(acrSigned, ['signature', 'sbom', 'sbomSignature'])
    expect(await held(`${repo('bare')}/app`, referrers)).toEqual([])
  }, 120_000)

  it('gives an unchanged image the signature added to the source after the first promotion, and nothing else', async () => {
    const source = `devacr.azurecr.io/signed/app:1.0.0 => ${repo('later')}/app:1.0.0`
    expectSucceeded(await run({ source }))
    const signature = await pushSignature(testbed, 'devacr.azurecr.io', 'signed/app', acrSigned.digest)
    const posts = testbed.counters().importImagePosts
    const step = await run({ source })
    expectSucceeded(step)
    expect(resultsOf(step)[0].status).toBe('unchanged')
    await expectHeld(step, `${repo('later')}/app`, [signature])
    expect(testbed.counters().importImagePosts).toBe(posts + 1)
  }, 180_000)

  it('locks the release tag; a later import onto it fails with the hint that unlocks it', async () => {
    const step = await run({
      source: `devacr.azurecr.io/signed/app:1.0.0 => ${repo('locked')}/app:1.0.0`,
      lock: 'true'
    })
    expectSucceeded(step)
    expect(testbed.changeableAttributes(PROD, `${repo('locked')}/app`, '1.0.0')).toMatchObject({
      writeEnabled: false,
      deleteEnabled: false
    })
    expect(step.summary).toContain('🔒 locked')
    const again = await run({
      source: `devacr.azurecr.io/app:1.1.0 => ${repo('locked')}/app:1.0.0`,
      force: 'true'
    })
    const line = expectOneLineFailure(again)
    expect(line).toMatch(/The target tag is locked .*az acr repository update --name .* --write-enabled true/)
    expect(line).not.toMatch(/use force: true/)
  }, 180_000)

  it('names the roles that may lock when the identity may only import', async () => {
    const step = await run(
      { source: `devacr.azurecr.io/signed/app:1.0.0 => ${repo('reader')}/app:1.0.0`, lock: 'true' },
      { signIn: 'import-reader' }
    )
    const target = `prodacr\\.azurecr\\.io\\/${repo('reader')}\\/app:1\\.0\\.0`
    expect(expectOneLineFailure(step)).toMatch(
      new RegExp(
        `Could not lock ${target}: .*"AcrPush" or "Container Registry Repository Writer" on prodacr\\.azurecr\\.io`
      )
    )
    expectNoSecretShown(step, testbed)
  }, 120_000)
})
