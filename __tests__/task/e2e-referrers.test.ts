// The task's bundle promoting signed images against the test bed (issue #10), as the agent runs it (debug on):
// every supply-chain fixture, ACR -> ACR and Docker Hub -> ACR, with the whole graph verified in the target's
// storage and no secret printed; referrers: false; a signature added after the first promotion; lock: true and an
// import onto the locked tag; a service connection whose identity may import but not lock.
import { afterAll, describe, expect, it } from '@jest/globals'
import { pushSignature } from '../core/push-signature.js'
import { useTestbed } from '../testbed/use-testbed.js'
import { cosignTag } from '../testbed/registry/supply-chain.js'
import { APPS, SUPPLY_CHAIN } from '../testbed/world.js'
import { removeRunFolders, runTask, type TaskRun } from './agent.js'
import { expectNoSecretPrinted, federatedJob } from './e2e-world.js'

const testbed = useTestbed()
afterAll(() => removeRunFolders())

const PROD = 'prodacr.azurecr.io'
const { acrSigned, acrMultiArch, dockerHubCosign, dockerHubReferrersTag } = SUPPLY_CHAIN

interface Result {
  status: string
  error?: string
}
const resultsOf = (run: TaskRun): Result[] => JSON.parse(run.outputs.results ?? '[]') as Result[]

/** The digests of `digests` that the target repository holds, read from the target's storage. */
async function held(repo: string, digests: string[]): Promise<string[]> {
  const found = await Promise.all(digests.map((d) => testbed.backend(PROD).headManifest(repo, d)))
  return digests.filter((d, i) => found[i] === d)
}
const digestsOf = (graph: typeof acrSigned, names: string[]) => names.map((n) => graph.manifests[n].digest)

function run(inputs: Record<string, string>): Promise<TaskRun> {
  return runTask(federatedJob(testbed, { registry: 'prodacr', ...inputs }))
}

function expectSucceeded(task: TaskRun): void {
  if (task.result !== 'Succeeded') throw new Error(`the task failed: ${task.resultMessage}\n${task.stdout}`)
}

describe('the task promoting signed images', () => {
  it('copies every fixture graph, ACR -> ACR and Docker Hub -> ACR, and prints no secret', async () => {
    const job = federatedJob(testbed, {
      registry: 'prodacr',
      source: [
        'devacr.azurecr.io/signed/app:1.0.0 => ado-signed/app:1.0.0',
        'devacr.azurecr.io/signed/multiarch:1.0.0 => ado-signed/multiarch:1.0.0',
        'docker.io/contoso/cosigned:1.0 => ado-signed/cosigned:1.0',
        'docker.io/contoso/oci-signed:1.0 => ado-signed/oci-signed:1.0'
      ].join('\n')
    })
    const task = await runTask(job)
    expectSucceeded(task)
    expect(resultsOf(task).map((r) => r.status)).toEqual(['imported', 'imported', 'imported', 'imported'])
    const app = digestsOf(acrSigned, ['signature', 'sbom', 'sbomSignature'])
    expect(await held('ado-signed/app', app)).toEqual(app)
    const multiArch = digestsOf(acrMultiArch, ['indexSignature', 'amd64Attestation', 'arm64Attestation'])
    expect(await held('ado-signed/multiarch', multiArch)).toEqual(multiArch)
    for (const suffix of ['sig', 'att'] as const) {
      expect(
        await testbed
          .backend(PROD)
          .headManifest('ado-signed/cosigned', cosignTag(dockerHubCosign.digest, suffix))
      ).toBe(dockerHubCosign.manifests[suffix].digest)
    }
    const ociSigned = digestsOf(dockerHubReferrersTag, ['signature', 'sbom'])
    expect(await held('ado-signed/oci-signed', ociSigned)).toEqual(ociSigned)
    expectNoSecretPrinted(task, job, testbed)
  }, 240_000)

  it('copies none with referrers: false', async () => {
    const task = await run({
      source: 'devacr.azurecr.io/signed/app:1.0.0 => ado-bare/app:1.0.0',
      referrers: 'false'
    })
    expectSucceeded(task)
    expect(await held('ado-bare/app', digestsOf(acrSigned, ['signature', 'sbom', 'sbomSignature']))).toEqual(
      []
    )
  }, 120_000)

  it('gives an unchanged image the signature added to the source after the first promotion, and nothing else', async () => {
    const source = 'devacr.azurecr.io/signed/app:1.0.0 => ado-later/app:1.0.0'
    expectSucceeded(await run({ source }))
    const signature = await pushSignature(testbed, 'devacr.azurecr.io', 'signed/app', acrSigned.digest)
    const posts = testbed.counters().importImagePosts
    const task = await run({ source })
    expectSucceeded(task)
    expect(resultsOf(task)[0].status).toBe('unchanged')
    expect(await held('ado-later/app', [signature])).toEqual([signature])
    expect(testbed.counters().importImagePosts).toBe(posts + 1)
  }, 180_000)

  it('locks the release tag; a later import onto it fails with the hint that unlocks it', async () => {
    const task = await run({
      source: 'devacr.azurecr.io/signed/app:1.0.0 => ado-locked/app:1.0.0',
      lock: 'true'
    })
    expectSucceeded(task)
    expect(testbed.changeableAttributes(PROD, 'ado-locked/app', '1.0.0')).toMatchObject({
      writeEnabled: false,
      deleteEnabled: false
    })
    const again = await run({ source: 'devacr.azurecr.io/app:1.1.0 => ado-locked/app:1.0.0', force: 'true' })
    expect(again.result).toBe('Failed')
    expect(again.resultMessage).toMatch(
      /The target tag is locked .*az acr repository update --name .* --write-enabled true/
    )
    expect(again.resultMessage).not.toMatch(/use force: true/)
  }, 180_000)

  it('names the roles that may lock when the connection may only import', async () => {
    const job = federatedJob(
      testbed,
      {
        registry: 'prodacr',
        source: 'devacr.azurecr.io/signed/app:1.0.0 => ado-reader/app:1.0.0',
        lock: 'true'
      },
      'sc://contoso/app/import-reader-connection'
    )
    job.endpoint.authParameters.serviceprincipalid = APPS.importReader.appId
    const task = await runTask(job)
    expect(task.result).toBe('Failed')
    expect(task.resultMessage).toMatch(
      /Could not lock prodacr\.azurecr\.io\/ado-reader\/app:1\.0\.0: .*"AcrPush" or "Container Registry Repository Writer" on prodacr\.azurecr\.io/
    )
    expectNoSecretPrinted(task, job, testbed)
  }, 120_000)
})
