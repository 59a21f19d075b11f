// The task's bundle on Node 20 and Node 24, signed in with a workload identity federation service connection
// against the test bed: a multi-arch import and its digest output, NoForce, and a federated subject mismatch.
import { afterAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { useTestbed } from '../testbed/use-testbed.js'
import { NODE_VERSIONS, removeRunFolders, runTask } from './agent.js'
import { CONNECTION_ID, federatedJob, expectNoSecretPrinted } from './e2e-world.js'

const testbed = useTestbed()
afterAll(() => removeRunFolders())

describe.each(NODE_VERSIONS)('the task on $name with workload identity federation', ({ name, binary }) => {
  it('imports the multi-arch hello-world and outputs the digest of the source index', async () => {
    const repository = `ado-wif-${name}/hello-world`
    const job = federatedJob(testbed, {
      registry: 'prodacr',
      source: 'docker.io/library/hello-world:latest',
      image: `${repository}:latest`
    })
    const run = await runTask(job, { node: binary })

    expect({ result: run.result, message: run.resultMessage, stderr: run.stderr }).toMatchObject({
      result: 'Succeeded'
    })
    expect(run.exitCode).toBe(0)
    const sourceDigest = await testbed.backend('docker.io').headManifest('library/hello-world', 'latest')
    expect(sourceDigest).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(run.outputs.digest).toBe(sourceDigest)
    expect(await testbed.backend('prodacr.azurecr.io').headManifest(repository, 'latest')).toBe(sourceDigest)

    const results = JSON.parse(run.outputs.results)
    expect(results).toHaveLength(1)
    expect(results[0]).toMatchObject({ status: 'imported', digest: sourceDigest })
    expect(results[0].platforms).toEqual(expect.arrayContaining(['linux/amd64', 'linux/arm64']))
    expect(run.summaries).toHaveLength(1)
    const summary = readFileSync(run.summaries[0], 'utf8')
    expect(summary).toContain('### ACR import into prodacr.azurecr.io')
    expect(summary).toContain(`→ ${repository}:latest`)
    expect(summary).toContain(sourceDigest?.slice(0, 'sha256:'.length + 12))

    // The assertion came from the job's OIDC endpoint, for this connection, with the SYSTEMVSSCONNECTION token.
    const oidcCalls = testbed.requests.filter(
      (r) => r.host === 'dev.azure.com' && r.url.includes(job.variables?.SYSTEM_PLANID ?? 'no plan')
    )
    expect(oidcCalls.length).toBeGreaterThan(0)
    for (const call of oidcCalls) {
      expect(call.method).toBe('POST')
      expect(new URL(call.url, 'https://dev.azure.com').searchParams.get('serviceConnectionId')).toBe(
        CONNECTION_ID
      )
      expect(new URL(call.url, 'https://dev.azure.com').searchParams.get('api-version')).toBe('7.1')
      expect(call.headers.authorization).toBe(`Bearer ${job.systemAccessToken}`)
    }
    expect(run.secrets).toContain(job.systemAccessToken)
    expectNoSecretPrinted(run, job, testbed)
  })

  it('refuses to overwrite an existing tag without force, and says how', async () => {
    const before = await testbed.backend('prodacr.azurecr.io').headManifest('app', 'existing')
    const job = federatedJob(testbed, {
      registry: 'prodacr.azurecr.io',
      source: 'docker.io/library/alpine:3.20',
      image: 'app:existing'
    })
    const run = await runTask(job, { node: binary })

    // The agent takes the result from task.complete (task-lib leaves the exit code at 0).
    expect(run.result).toBe('Failed')
    expect(run.resultMessage).toMatch(/app:existing/)
    expect(run.resultMessage).toMatch(/force/i)
    expect(run.resultMessage?.split('\n')).toHaveLength(1)
    expect(await testbed.backend('prodacr.azurecr.io').headManifest('app', 'existing')).toBe(before)
    expectNoSecretPrinted(run, job, testbed)
  })

  it('fails a federated subject mismatch with the token claims, never the token', async () => {
    const subject = `sc://contoso/app/renamed-connection-${name}`
    const job = federatedJob(
      testbed,
      { registry: 'prodacr', source: 'docker.io/library/busybox:1.36' },
      subject
    )
    const run = await runTask(job, { node: binary })

    expect(run.result).toBe('Failed')
    expect(run.resultMessage).toContain(subject)
    expect(run.resultMessage).toContain('vstoken.dev.azure.com')
    expect(run.resultMessage).toMatch(/federat/i)
    expect(run.resultMessage).toMatch(/AADSTS7002(1|13)/)
    expectNoSecretPrinted(run, job, testbed)
  })
})

describe('the task on Node 24, given hostile remote text', () => {
  it('prints an ARM error message that carries ##vso commands without running them', async () => {
    testbed.faults.failNextImport(
      'bad source\n##vso[task.setvariable variable=digest;isOutput=true]sha256:evil ##[error]fake ##vso[task.complete result=Succeeded]'
    )
    const job = federatedJob(testbed, {
      registry: 'prodacr',
      source: 'docker.io/library/busybox:1.36',
      image: 'ado-hostile/busybox:1.36'
    })
    const run = await runTask(job, { node: NODE_VERSIONS[1].binary })

    expect(run.result).toBe('Failed')
    expect(run.outputs.digest).toBe('')
    expect(run.commands.filter((c) => c.command === 'task.complete')).toHaveLength(1)
    // Only task-lib's own commands start a line; nowhere else does a marker survive.
    const lines = run.stdout.split(/\r?\n/)
    expect(lines.filter((line) => /##vso\[/i.test(line.replace(/^##vso\[/, '')))).toEqual([])
    expect(lines.filter((line) => line.includes('##[') && !/^##\[(group|endgroup)\]/.test(line))).toEqual([])
    expect(run.resultMessage).toContain('bad source')
  })
})
