// The plan stage through the task bundle (Node 20 and 24): skip what did not change, and a dry run that tells
// the truth. The tests read the test bed's counters, so they run one after the other on a test bed of their own.
import { afterAll, describe, expect, it } from '@jest/globals'
import { useTestbed } from '../testbed/use-testbed.js'
import { NODE_VERSIONS, removeRunFolders, runTask } from './agent.js'
import { secretJob } from './e2e-world.js'

const testbed = useTestbed()
afterAll(() => removeRunFolders())

const statuses = (outputs: Record<string, string>) =>
  (JSON.parse(outputs.results) as { status: string }[]).map((r) => r.status)

describe.each(NODE_VERSIONS)(
  'skip-unchanged and a truthful dry run, the task on $name',
  ({ name, binary }) => {
    it('makes no import and no Docker Hub manifest GET for an unchanged batch', async () => {
      const source = `docker.io/library/busybox:1.36 => ado-plan-${name}/busybox:1.36\ndocker.io/library/alpine:3.20 => ado-plan-${name}/alpine:3.20`
      const first = await runTask(secretJob(testbed, { registry: 'prodacr', source }), { node: binary })
      expect(first.result).toBe('Succeeded')
      const before = testbed.counters()
      const second = await runTask(secretJob(testbed, { registry: 'prodacr', source }), { node: binary })
      const after = testbed.counters()
      expect(second.result).toBe('Succeeded')
      expect(statuses(second.outputs)).toEqual(['unchanged', 'unchanged'])
      expect(after.importImagePosts - before.importImagePosts).toBe(0)
      expect(after.dockerHubManifestGets - before.dockerHubManifestGets).toBe(0)
    })

    it('fails a dry run onto a tag that holds another image, importing nothing', async () => {
      const before = testbed.counters().importImagePosts
      const run = await runTask(
        secretJob(testbed, {
          registry: 'prodacr',
          source: `docker.io/library/alpine:3.20 => ado-plan-${name}/busybox:1.36`,
          dryRun: 'true'
        }),
        { node: binary }
      )
      expect(run.result).toBe('Failed')
      expect(run.resultMessage).toMatch(
        /busybox:1.36 already exists and holds sha256:.*use force: true to overwrite it\.$/
      )
      expect(statuses(run.outputs)).toEqual(['failed'])
      expect(run.stdout).not.toMatch(/Importing/)
      expect(testbed.counters().importImagePosts).toBe(before)
    })
  }
)
