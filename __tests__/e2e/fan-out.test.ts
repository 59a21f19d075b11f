// Fan-out through each host's bundle: one images file promotes every entry into two registries in two
// subscriptions (prodacr, the step's `registry`; prodneu, named in the targets, found in another subscription
// without an input of its own). The source digest is read once for both; a rerun imports nothing and reports no
// change; after an upstream tag moves, the rerun imports that image into both and `changed` names exactly its two
// targets; a locked tag in one registry fails that target only, while the other registry is updated.
import { expect, test } from '@jest/globals'
import { copyImage } from '../testbed/registry/copy.js'
import { REGISTRIES, loginServerOf } from '../testbed/world.js'
import { actionHost } from './action-host.js'
import { expectSucceeded, resultsOf } from './expect-run.js'
import type { HostRun } from './host.js'
import { NODE20, onEachHost } from './on-each-host.js'
import { taskHost } from './task-host.js'
import { PROD, counting, sourceDigest } from './testbed-reads.js'
import { useWorkspace } from './workspace.js'

const NORTH = loginServerOf(REGISTRIES.prodNorth)
const workspace = useWorkspace('fan-out')

interface Changed {
  source: string
  target: string
  digest: string
  previous: string | null
}

const changedOf = (run: HostRun): Changed[] => JSON.parse(run.outputs.changed) as Changed[]
const rows = (run: HostRun) => resultsOf(run).map((r) => [r.targets.join(' '), r.status])

onEachHost('fan-out to several registries', [[actionHost()], [taskHost(NODE20)]], (host, testbed) => {
  const repo = `${host.id}-fan`
  const hub = () => testbed.backend('docker.io')
  const file = () =>
    workspace.write(
      `${host.id}-images.yaml`,
      [
        'images:',
        '  - source: docker.io/library/busybox:1.36',
        `    targets: [${repo}/busybox:1.36, ${NORTH}/${repo}/busybox:1.36]`,
        `  - source: docker.io/library/${repo}-moving:1`,
        `    targets: [${repo}/moving:1, ${NORTH}/${repo}/moving:1]`,
        '    force: true'
      ].join('\n')
    )
  const run = () => host.run(testbed, { inputs: { 'images-file': file() } }, workspace.folder)

  test('promotes each entry into both registries, reading each source digest once', async () => {
    await copyImage(hub(), 'library/alpine', '3.20', hub(), `library/${repo}-moving`, ['1'])
    const heads = testbed.counters().dockerHubManifestHeads
    const { step, imports } = await counting(testbed, run)
    expectSucceeded(step)
    expect(rows(step)).toEqual([
      [`${PROD}/${repo}/busybox:1.36`, 'imported'],
      [`${NORTH}/${repo}/busybox:1.36`, 'imported'],
      [`${PROD}/${repo}/moving:1`, 'imported'],
      [`${NORTH}/${repo}/moving:1`, 'imported']
    ])
    expect(imports).toBe(4)
    // Per source, however many registries it goes to: the anonymous HEAD that meets the 401 challenge, and the
    // HEAD that reads the digest (a second read would add a HEAD per source).
    expect(testbed.counters().dockerHubManifestHeads - heads).toBe(4)
    const busybox = await sourceDigest(testbed, 'docker.io', 'library/busybox', '1.36')
    expect((await testbed.backend(NORTH).headManifest(`${repo}/busybox`, '1.36')) ?? '').toBe(busybox)
    expect(step.summary).toContain(`ACR import into ${PROD}, ${NORTH}`)
  })

  test('a rerun imports nothing and changes nothing', async () => {
    const { step, imports } = await counting(testbed, run)
    expectSucceeded(step)
    expect(rows(step).map(([, status]) => status)).toEqual([
      'unchanged',
      'unchanged',
      'unchanged',
      'unchanged'
    ])
    expect(imports).toBe(0)
    expect(step.outputs.changed).toBe('[]')
  })

  test('after an upstream tag moves, both registries get the new digest and changed names both targets', async () => {
    const previous = await sourceDigest(testbed, 'docker.io', `library/${repo}-moving`, '1')
    await copyImage(hub(), 'library/busybox', '1.36', hub(), `library/${repo}-moving`, ['1'])
    const moved = await sourceDigest(testbed, 'docker.io', `library/${repo}-moving`, '1')
    const { step, imports } = await counting(testbed, run)
    expectSucceeded(step)
    expect(imports).toBe(2)
    const source = `docker.io/library/${repo}-moving:1`
    expect(changedOf(step)).toEqual([
      { source, target: `${PROD}/${repo}/moving:1`, digest: moved, previous },
      { source, target: `${NORTH}/${repo}/moving:1`, digest: moved, previous }
    ])
    expect(step.summary).toContain('**2 tags changed:**')
  })

  test('a locked tag in one registry fails that target only; the other registry is updated', async () => {
    testbed.setChangeableAttributes(NORTH, `${repo}/moving`, '1', { writeEnabled: false })
    await copyImage(hub(), 'library/alpine', '3.20', hub(), `library/${repo}-moving`, ['1'])
    const step = await run()
    expect(step.failed).toBe(true)
    expect(rows(step)).toEqual([
      [`${PROD}/${repo}/busybox:1.36`, 'unchanged'],
      [`${NORTH}/${repo}/busybox:1.36`, 'unchanged'],
      [`${PROD}/${repo}/moving:1`, 'imported'],
      [`${NORTH}/${repo}/moving:1`, 'failed']
    ])
    expect(resultsOf(step)[3].error).toMatch(/locked/)
    expect(changedOf(step).map((c) => c.target)).toEqual([`${PROD}/${repo}/moving:1`])
  })
})
