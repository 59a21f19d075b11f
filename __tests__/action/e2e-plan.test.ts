// The plan stage through the action bundle: skip what did not change (no import, no Docker Hub pull), import a
// source tag that moved, and a dry run that tells the truth. The tests read the test bed's counters, so they run
// one after the other on a test bed of their own.
import { describe, expect, test } from '@jest/globals'
import { copyImage } from '../testbed/registry/copy.js'
import { useTestbed } from '../testbed/use-testbed.js'
import { expectOneLineFailure, expectSuccess, runWithOidc } from './e2e-steps.js'

const testbed = useTestbed()
const results = (outputs: Record<string, string>) =>
  (JSON.parse(outputs.results) as { status: string; digest: string }[]).map((r) => r.status)

describe('skip-unchanged and a truthful dry run (action)', () => {
  test('a second run of an unchanged batch makes no import and no Docker Hub manifest GET', async () => {
    const source = [
      'docker.io/library/busybox:1.36 => plan/busybox:1.36, plan/busybox:stable',
      'docker.io/library/alpine:3.20 => plan/alpine:3.20',
      'mcr.microsoft.com/windows/servercore:ltsc2019 => plan/servercore:ltsc2019'
    ].join('\n')
    const first = await runWithOidc(testbed, { source })
    expectSuccess(first)
    expect(results(first.outputs)).toEqual(['imported', 'imported', 'imported'])
    const before = testbed.counters()
    const second = await runWithOidc(testbed, { source })
    expectSuccess(second)
    const after = testbed.counters()
    expect(results(second.outputs)).toEqual(['unchanged', 'unchanged', 'unchanged'])
    expect(after.importImagePosts - before.importImagePosts).toBe(0)
    expect(after.dockerHubManifestGets - before.dockerHubManifestGets).toBe(0)
    expect(second.outputs.digest).toBe(first.outputs.digest)
    expect(second.summary).toMatch(/unchanged/)
  })

  test('a source tag that moved is imported again (with force, as the target tag moves too)', async () => {
    const hub = testbed.backend('docker.io')
    await copyImage(hub, 'library/alpine', '3.20', hub, 'library/moving', ['1'])
    const step = { source: 'docker.io/library/moving:1 => plan/moving:1', force: 'true' }
    expectSuccess(await runWithOidc(testbed, step))
    await copyImage(hub, 'library/busybox', '1.36', hub, 'library/moving', ['1'])
    const moved = await runWithOidc(testbed, step)
    expectSuccess(moved)
    expect(results(moved.outputs)).toEqual(['imported'])
    expect(moved.outputs.digest).toBe(await hub.headManifest('library/busybox', '1.36'))
  })

  test('skip-unchanged: false imports again', async () => {
    const again = await runWithOidc(testbed, {
      source: 'docker.io/library/alpine:3.20 => plan/alpine:3.20',
      'skip-unchanged': 'false',
      force: 'true'
    })
    expectSuccess(again)
    expect(results(again.outputs)).toEqual(['imported'])
  })

  test('a dry run onto a tag that holds another image fails as the real run would, importing nothing', async () => {
    const before = testbed.counters().importImagePosts
    const run = await runWithOidc(testbed, {
      source: 'docker.io/library/busybox:1.36 => plan/alpine:3.20',
      'dry-run': 'true'
    })
    const line = expectOneLineFailure(run)
    expect(line).toMatch(/plan\/alpine:3.20 already exists and holds sha256:[0-9a-f]{64}, not the source's/)
    expect(line).toMatch(/NoForce; use force: true to overwrite it\.$/)
    expect(results(run.outputs)).toEqual(['failed'])
    expect(run.stdout).not.toMatch(/Importing/)
    expect(testbed.counters().importImagePosts).toBe(before)
    const fine = await runWithOidc(testbed, {
      source:
        'docker.io/library/busybox:1.36 => plan/new:1\ndocker.io/library/alpine:3.20 => plan/alpine:3.20',
      'dry-run': 'true'
    })
    expectSuccess(fine)
    expect(results(fine.outputs)).toEqual(['planned', 'unchanged'])
    expect(fine.stdout).toMatch(/Would import library\/busybox@sha256:/)
  })
})
