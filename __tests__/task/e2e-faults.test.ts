// The task's bundle (one Node version) under issue #9 "Faults 4" and "Faults 5": an ARM front that answers 500
// on every poll while the import lands, and another writer that changes the target tag during the import. Each
// test changes the test bed's global faults, so they run one after the other.
import { afterAll, describe, expect, it } from '@jest/globals'
import { useTestbed } from '../testbed/use-testbed.js'
import { NODE_VERSIONS, removeRunFolders, runTask, type TaskRun } from './agent.js'
import { federatedJob, secretJob } from './e2e-world.js'

const testbed = useTestbed()
afterAll(() => removeRunFolders())

const node = NODE_VERSIONS[0]

/** Failed, with exactly one error line. Returns that line. */
function oneFailure(run: TaskRun): string {
  expect({ result: run.result, errors: run.errors.length, stderr: run.stderr }).toMatchObject({
    result: 'Failed',
    errors: 1
  })
  expect(run.errors[0]).not.toContain('\n')
  return run.errors[0]
}

describe(`the task on ${node.name} under faults (one at a time)`, () => {
  it('Faults 4: every poll answers 500 while the import lands: it may have completed, check the tags', async () => {
    // The target already holds the digest, so the data plane cannot see the import land: ARM alone decides.
    const inputs = {
      registry: 'prodacr',
      source: 'docker.io/library/busybox:1.36',
      image: 'task-faults/polls:1'
    }
    const first = await runTask(secretJob(testbed, inputs), { node: node.binary })
    expect({ result: first.result, message: first.resultMessage }).toMatchObject({ result: 'Succeeded' })
    testbed.faults.failImportPolls(500, true)
    try {
      const job = secretJob(testbed, { ...inputs, skipUnchanged: 'false', force: 'true' })
      const line = oneFailure(await runTask(job, { node: node.binary }))
      expect(line).toMatch(/may have completed in Azure/)
      expect(line).toMatch(/check the target tags \(az acr repository show-tags --name prodacr/)
    } finally {
      testbed.faults.failImportPolls(500, false)
    }
  })

  it('Faults 5: another writer changes the target tag during the import: it names the digest it holds now', async () => {
    const inputs = {
      registry: 'prodacr',
      source: 'docker.io/library/busybox:1.36',
      image: 'task-faults/writer:1'
    }
    const alpine = await testbed.backend('docker.io').headManifest('library/alpine', '3.20')
    expect(alpine).toMatch(/^sha256:/)
    testbed.faults.anotherWriterOnNextImport({ repo: 'library/alpine', reference: '3.20' })
    try {
      const job = secretJob(testbed, inputs)
      const line = oneFailure(await runTask(job, { node: node.binary }))
      expect(line).toMatch(/Another writer changed .* it now holds sha256:/)
      expect(line).toContain(`it now holds ${alpine}`)
    } finally {
      testbed.faults.reset()
    }
  })

  it('Faults 2: workload identity federation survives a dropped connection to the OIDC endpoint', async () => {
    const job = federatedJob(testbed, {
      registry: 'prodacr',
      source: 'docker.io/library/busybox:1.36',
      image: 'task-faults/oidc:1'
    })
    testbed.faults.resetConnections(new URL(job.variables!.SYSTEM_OIDCREQUESTURI).hostname, 1)
    const asked = (): number => testbed.requests.filter((r) => r.url.includes('/oidctoken')).length
    const before = asked()
    try {
      const run = await runTask(job, { node: node.binary })
      expect({ result: run.result, message: run.resultMessage }).toMatchObject({ result: 'Succeeded' })
      // The dropped request and its retry (one assertion serves the whole step).
      expect(asked() - before).toBe(2)
    } finally {
      testbed.faults.reset()
    }
  })
})
