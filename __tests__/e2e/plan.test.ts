// The plan stage through each host's bundle (the task on Node 20 and Node 24, with a service principal key): skip
// what did not change (no import, no Docker Hub pull), import a source tag that moved, and a dry run that tells
// the truth. The tests read the test bed's counters, so they run one after the other; the hosts share one test
// bed, each in repositories of its own.
import { expect, test } from '@jest/globals'
import { copyImage } from '../testbed/registry/copy.js'
import { secretJob } from '../task/e2e-world.js'
import { actionHost } from './action-host.js'
import { expectOneLineFailure, expectSucceeded, resultsOf } from './expect-run.js'
import type { HostRun, Step } from './host.js'
import { NODE20, NODE24, onEachHost } from './on-each-host.js'
import { taskHost } from './task-host.js'

const statuses = (step: HostRun): string[] => resultsOf(step).map((r) => r.status)

const HOSTS = [[actionHost(), taskHost(NODE20, secretJob), taskHost(NODE24, secretJob)]]

onEachHost('skip-unchanged and a truthful dry run', HOSTS, (host, testbed) => {
  const run = (inputs: Step['inputs']): Promise<HostRun> => host.run(testbed, { inputs })
  const repo = `${host.id}-plan`

  test('a second run of an unchanged batch makes no import and no Docker Hub manifest GET', async () => {
    const source = [
      `docker.io/library/busybox:1.36 => ${repo}/busybox:1.36, ${repo}/busybox:stable`,
      `docker.io/library/alpine:3.20 => ${repo}/alpine:3.20`,
      `mcr.microsoft.com/windows/servercore:ltsc2019 => ${repo}/servercore:ltsc2019`
    ].join('\n')
    const first = await run({ source })
    expectSucceeded(first)
    expect(statuses(first)).toEqual(['imported', 'imported', 'imported'])
    const before = testbed.counters()
    const second = await run({ source })
    const after = testbed.counters()
    expectSucceeded(second)
    expect(statuses(second)).toEqual(['unchanged', 'unchanged', 'unchanged'])
    expect(after.importImagePosts - before.importImagePosts).toBe(0)
    expect(after.dockerHubManifestGets - before.dockerHubManifestGets).toBe(0)
    expect(second.outputs.digest).toBe(first.outputs.digest)
    expect(second.summary).toMatch(/unchanged/)
    // What changed: every tag of the first run (new, so no previous digest), nothing on the second.
    const changed = JSON.parse(first.outputs.changed) as { target: string; previous: string | null }[]
    expect(changed.map((c) => [c.target, c.previous])).toEqual([
      [`prodacr.azurecr.io/${repo}/busybox:1.36`, null],
      [`prodacr.azurecr.io/${repo}/busybox:stable`, null],
      [`prodacr.azurecr.io/${repo}/alpine:3.20`, null],
      [`prodacr.azurecr.io/${repo}/servercore:ltsc2019`, null]
    ])
    expect(second.outputs.changed).toBe('[]')
  })

  test('a source tag that moved is imported again (with force, as the target tag moves too)', async () => {
    const hub = testbed.backend('docker.io')
    await copyImage(hub, 'library/alpine', '3.20', hub, 'library/moving', ['1'])
    const before = await hub.headManifest('library/moving', '1')
    const step = { source: `docker.io/library/moving:1 => ${repo}/moving:1`, force: 'true' }
    expectSucceeded(await run(step))
    await copyImage(hub, 'library/busybox', '1.36', hub, 'library/moving', ['1'])
    const moved = await run(step)
    expectSucceeded(moved)
    expect(statuses(moved)).toEqual(['imported'])
    expect(moved.outputs.digest).toBe(await hub.headManifest('library/busybox', '1.36'))
    // The `changed` output names the tag that moved, with the digest it held before.
    expect(JSON.parse(moved.outputs.changed)).toEqual([
      {
        source: 'docker.io/library/moving:1',
        target: `prodacr.azurecr.io/${repo}/moving:1`,
        digest: moved.outputs.digest,
        previous: before
      }
    ])
  })

  test('skip-unchanged: false imports again', async () => {
    const again = await run({
      source: `docker.io/library/alpine:3.20 => ${repo}/alpine:3.20`,
      'skip-unchanged': 'false',
      force: 'true'
    })
    expectSucceeded(again)
    expect(statuses(again)).toEqual(['imported'])
  })

  test('a dry run onto a tag that holds another image fails as the real run would, importing nothing', async () => {
    const before = testbed.counters().importImagePosts
    const refused = await run({
      source: `docker.io/library/busybox:1.36 => ${repo}/alpine:3.20`,
      'dry-run': 'true'
    })
    const line = expectOneLineFailure(refused)
    expect(line).toMatch(/\/alpine:3.20 already exists and holds sha256:[0-9a-f]{12}, not the source's/)
    expect(line).toMatch(/not overwritten without force; use force: true to overwrite it\.$/)
    expect(statuses(refused)).toEqual(['failed'])
    expect(refused.log).not.toMatch(/Importing/)
    expect(testbed.counters().importImagePosts).toBe(before)
    const fine = await run({
      source: `docker.io/library/busybox:1.36 => ${repo}/new:1\ndocker.io/library/alpine:3.20 => ${repo}/alpine:3.20`,
      'dry-run': 'true'
    })
    expectSucceeded(fine)
    expect(statuses(fine)).toEqual(['planned', 'unchanged'])
    expect(fine.log).toMatch(/Would import library\/busybox@sha256:/)
    // A dry run fills `changed` with what would change.
    expect((JSON.parse(fine.outputs.changed) as { target: string }[]).map((c) => c.target)).toEqual([
      `prodacr.azurecr.io/${repo}/new:1`
    ])
  })
})
