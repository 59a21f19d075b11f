// The task's bundle on Node 20 and Node 24 with the other service connection kinds: a service principal with a
// key, with a certificate, and a managed identity; plus a dry run and a connection kind that cannot sign in.
import { afterAll, describe, expect, it } from '@jest/globals'
import { useTestbed } from '../testbed/use-testbed.js'
import { NODE_VERSIONS, removeRunFolders, runTask, type TaskRun } from './agent.js'
import { PRIVATE_REGISTRY } from '../testbed/world.js'
import { certificateJob, managedIdentityJob, secretJob, expectNoSecretPrinted } from './e2e-world.js'

const testbed = useTestbed()
afterAll(() => removeRunFolders())

async function expectImported(
  run: TaskRun,
  source: { host: string; repo: string; tag: string },
  target: string
) {
  expect({ result: run.result, message: run.resultMessage, stderr: run.stderr }).toMatchObject({
    result: 'Succeeded'
  })
  const sourceDigest = await testbed.backend(source.host).headManifest(source.repo, source.tag)
  expect(sourceDigest).toMatch(/^sha256:/)
  expect(run.outputs.digest).toBe(sourceDigest)
  const [repo, tag] = target.split(':')
  expect(await testbed.backend('prodacr.azurecr.io').headManifest(repo, tag)).toBe(sourceDigest)
}

describe.each(NODE_VERSIONS)('the task on $name', ({ name, binary }) => {
  it('signs in with a service principal key', async () => {
    const target = `ado-key-${name}/busybox:1.36`
    const job = secretJob(testbed, {
      registry: 'prodacr',
      source: 'docker.io/library/busybox:1.36',
      image: target
    })
    const run = await runTask(job, { node: binary })
    await expectImported(run, { host: 'docker.io', repo: 'library/busybox', tag: '1.36' }, target)
    expect(run.secrets).toContain(job.endpoint.authParameters.serviceprincipalkey)
    expectNoSecretPrinted(run, job, testbed)
  })

  it('signs in with a service principal certificate', async () => {
    const target = `ado-cert-${name}/alpine:3.20`
    const job = certificateJob(testbed, {
      registry: 'prodacr',
      source: 'docker.io/library/alpine:3.20',
      image: target
    })
    const run = await runTask(job, { node: binary })
    await expectImported(run, { host: 'docker.io', repo: 'library/alpine', tag: '3.20' }, target)
    expectNoSecretPrinted(run, job, testbed)
  })

  it('signs in with the agent machine’s managed identity', async () => {
    const target = `ado-msi-${name}/service:2.3.1`
    const job = managedIdentityJob(testbed, {
      registry: 'prodacr',
      source: `${PRIVATE_REGISTRY.host}/team/service:2.3.1`,
      image: target,
      username: PRIVATE_REGISTRY.username,
      password: PRIVATE_REGISTRY.password
    })
    const run = await runTask(job, { node: binary })
    await expectImported(run, { host: PRIVATE_REGISTRY.host, repo: 'team/service', tag: '2.3.1' }, target)
    expect(run.secrets).toContain(job.inputs.password)
    expectNoSecretPrinted(run, job, testbed)
  })
})

describe('the task on Node 24', () => {
  const node24 = NODE_VERSIONS[1].binary

  it('plans without importing on a dry run', async () => {
    const importsBefore = testbed.imports.length
    const job = secretJob(testbed, {
      registry: 'prodacr',
      source: 'mcr.microsoft.com/windows/servercore:ltsc2019',
      image: 'ado-dry-run/servercore:ltsc2019',
      dryRun: 'true'
    })
    const run = await runTask(job, { node: node24 })
    expect({ result: run.result, message: run.resultMessage }).toMatchObject({ result: 'Succeeded' })
    expect(testbed.imports.length).toBe(importsBefore)
    expect(
      await testbed.backend('prodacr.azurecr.io').headManifest('ado-dry-run/servercore', 'ltsc2019')
    ).toBeUndefined()
    expect(JSON.parse(run.outputs.results)[0].status).toBe('planned')
  })

  it('imports the rest of a batch, reports each failed import and fails the step', async () => {
    const job = secretJob(testbed, {
      registry: 'prodacr',
      source: [
        'docker.io/library/busybox:1.36 => ado-batch/busybox:1.36',
        'docker.io/library/missing:1 => ado-batch/missing:1'
      ].join('\n')
    })
    const run = await runTask(job, { node: node24 })
    expect({ result: run.result, message: run.resultMessage }).toEqual({
      result: 'Failed',
      message: '1 of 2 imports failed (see the summary)'
    })
    // Each failed import is an error of its own; task-lib repeats the result message as the last one.
    expect(run.errors).toEqual([
      expect.stringMatching(/^docker.io\/library\/missing:1: .*not found/),
      '1 of 2 imports failed (see the summary)'
    ])
    expect(JSON.parse(run.outputs.results).map((r: { status: string }) => r.status)).toEqual([
      'imported',
      'failed'
    ])
    const busybox = await testbed.backend('docker.io').headManifest('library/busybox', '1.36')
    expect(run.outputs.digest).toBe(busybox)
    expect(await testbed.backend('prodacr.azurecr.io').headManifest('ado-batch/busybox', '1.36')).toBe(
      busybox
    )
  })

  it('fails a publish profile connection with one clear line', async () => {
    const job = secretJob(testbed, { registry: 'prodacr', source: 'nginx' })
    job.endpoint = {
      ...job.endpoint,
      scheme: 'PublishProfile',
      authParameters: { tenantid: job.endpoint.authParameters.tenantid }
    }
    const run = await runTask(job, { node: node24 })
    expect(run.result).toBe('Failed')
    expect(run.resultMessage).toMatch(
      /uses the publishprofile scheme.*use a connection with workload identity federation/i
    )
  })
})
