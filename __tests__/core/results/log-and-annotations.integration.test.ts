// What the log and the annotations say of a tag pattern's import, through runStep against the test bed: the
// import is named by its tags (its group, `results[].source`, the summary), its full digest is printed once, a
// clean run raises no annotation, and a dry run's notice counts as its summary does.
import { describe, expect, it } from '@jest/globals'
import { runStep } from '../../../src/core/index.js'
import { recordingHost, useTestbedInProcess } from '../fake-host.js'

const testbed = useTestbedInProcess()

/** nginx 1.27.3 and its alias 1.27: one digest, so one import carrying both tags. */
const PATTERN = { source: 'docker.io/library/nginx => logs/nginx', tags: 'regex: ^1\\.27(\\.3)?$' }

/** The step into prodacr, recorded. */
const run = async (inputs: Record<string, string>) => {
  const host = recordingHost({ registry: 'prodacr', ...inputs })
  return runStep(host).then(() => host)
}

describe("a tag pattern's import in the log", () => {
  it('is named by its tags, prints its full digest once, and raises no annotation when all went well', async () => {
    const host = await run(PATTERN)
    expect(host.ending).toEqual(['succeeded '])
    const [result] = host.results()
    const digest = await testbed().backend('docker.io').headManifest('library/nginx', '1.27.3')
    expect(result).toMatchObject({ status: 'imported', digest })
    expect(result.source).toMatch(/^docker\.io\/library\/nginx:1\.27(\.3)?$/)
    expect(host.lines).toContainEqual(
      expect.stringMatching(
        /^group Imported docker\.io\/library\/nginx:(1\.27\.3 \(\+ 1\.27\)|1\.27 \(\+ 1\.27\.3\))$/
      )
    )
    // The log a reader sees (not debug, not the `digest` output's own line): the full digest once.
    const shown = host.lines.filter((l) => !l.startsWith('debug ') && !l.startsWith('info digest: '))
    expect(shown.filter((l) => l.includes(digest!))).toEqual([
      expect.stringMatching(/^info Imported prodacr\.azurecr\.io\/logs\/nginx:.* at sha256:/)
    ])
    expect(host.lines.filter((l) => /^(notice|warning) /.test(l))).toEqual([])
    expect(host.summaries[0]).toMatch(
      /\| docker\.io\/library\/nginx:1\.27(\.3)? \(\+ 1\.27(\.3)?\)<br>→ logs\/nginx:/
    )
    expect(host.summaries[0]).not.toMatch(/[0-9a-f]{64}/)
  }, 90000)

  it('counts a dry run in its notice as its summary does, and imports nothing', async () => {
    const before = testbed().imports.length
    const host = await run({
      source: `${PATTERN.source}-dry\ndocker.io/library/busybox:1.36 => logs/busybox:1.36`,
      tags: PATTERN.tags,
      'dry-run': 'true'
    })
    expect(testbed().imports.length).toBe(before)
    expect(host.lines.filter((l) => l.startsWith('notice '))).toEqual([
      'notice Dry run: 2 would be imported; nothing was imported'
    ])
    expect(host.summaries[0]).toContain('\n**2** would be imported.\n')
  }, 90000)
})
