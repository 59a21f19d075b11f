// Bundle-level end-to-end: mirror by tag pattern, run through dist/task/index.js as the agent starts it (Node 24
// only: the engine is the same on Node 20, which the other task tests cover), against the test bed's nginx (20
// tags: releases, a prerelease, -alpine variants, moving aliases) on Docker Hub and in devacr. A semver range
// (both registries); a regex with exclude through the tags input; newest 2, dry run first; aliases of one digest
// as ONE import; a second run with no import; a moved alias refused under NoForce and imported with force; Link
// pagination past the first page; a pattern that matches nothing (a warning); an entry with a tag and tags (one
// line, no request). The tests count the test bed's imports and move a source tag, so they run in order.
import { afterAll, describe, expect, test } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { copyImage } from '../testbed/registry/copy.js'
import { useTestbed } from '../testbed/use-testbed.js'
import { NGINX_TAGS } from '../testbed/world.js'
import { NODE_VERSIONS, removeRunFolders, runTask, type TaskRun } from './agent.js'
import { expectNoSecretPrinted, federatedJob } from './e2e-world.js'

const testbed = useTestbed()
const node24 = NODE_VERSIONS[1].binary
const PROD = 'prodacr.azurecr.io'
const folder = mkdtempSync(join(tmpdir(), 'task-tag-patterns-'))
afterAll(() => {
  removeRunFolders()
  rmSync(folder, { recursive: true, force: true })
})

/** Writes an images file; the task gets its absolute path (the agent's working folder is made per run). */
function imagesFile(name: string, lines: string[]): string {
  const path = join(folder, name)
  writeFileSync(path, ['images:', ...lines].join('\n'))
  return path
}

/** Runs the task and returns its run and how many importImage POSTs it made. */
async function run(inputs: Record<string, string>): Promise<{ task: TaskRun; imports: number }> {
  const before = testbed.counters().importImagePosts
  // One import at a time: a pattern's digests all land in one repository and share a layer, and the test bed's
  // distribution server answers two copies of one blob into one repository at once with a 500 (ACR does not).
  const job = federatedJob(testbed, { registry: 'prodacr', concurrency: '1', ...inputs })
  const task = await runTask(job, { node: node24 })
  expectNoSecretPrinted(task, job, testbed)
  return { task, imports: testbed.counters().importImagePosts - before }
}

function expectSucceeded(task: TaskRun): void {
  if (task.result !== 'Succeeded') throw new Error(`the task failed: ${task.resultMessage}\n${task.stdout}`)
}

const resultsOf = (task: TaskRun): { source: string; targets: string[]; status: string; digest: string }[] =>
  JSON.parse(task.outputs.results ?? '[]')
const rows = (task: TaskRun) => resultsOf(task).map((r) => [r.status, r.targets])
/** The uploaded summary, with the temp folder left out of the file names. */
const summaryOf = (task: TaskRun): string =>
  task.summaries
    .map((path) => readFileSync(path, 'utf8'))
    .join('\n')
    .replaceAll(`${folder}/`, '')
const hub = async (tag: string): Promise<string> =>
  (await testbed.backend('docker.io').headManifest('library/nginx', tag))!

describe('mirror by tag pattern in Azure Pipelines', () => {
  test('a semver range: each release one import, pinned by digest, from Docker Hub and from an ACR', async () => {
    const file = imagesFile('semver.yaml', [
      '  - source: docker.io/library/nginx',
      '    targets: ado-tp-semver/nginx',
      "    tags: { semver: '>=1.27.0 <1.28.0' }",
      '  - source: nginx',
      '    source-registry: devacr',
      '    targets: ado-tp-semver/acr-nginx',
      "    tags: { semver: '1.26.x' }"
    ])
    const { task, imports } = await run({ imagesFile: file })
    expectSucceeded(task)
    expect(imports).toBe(8)
    expect(rows(task)).toEqual([
      ...['1.27.3', '1.27.2', '1.27.1', '1.27.0'].map((t) => [
        'imported',
        [`${PROD}/ado-tp-semver/nginx:${t}`]
      ]),
      ...['1.26.3', '1.26.2', '1.26.1', '1.26.0'].map((t) => [
        'imported',
        [`${PROD}/ado-tp-semver/acr-nginx:${t}`]
      ])
    ])
    expect(resultsOf(task)[0].source).toBe(`docker.io/library/nginx@${await hub('1.27.3')}`)
    expect(await testbed.backend(PROD).headManifest('ado-tp-semver/acr-nginx', '1.26.0')).toBe(
      await testbed.backend('devacr.azurecr.io').headManifest('nginx', '1.26.0')
    )
    expect(summaryOf(task)).toContain('| docker.io/library/nginx (semver.yaml line 2) | 4 | 4 | 0 | 0 |')
  })

  test('a regex with exclude, through the tags input on a source line: 1.27 rides with 1.27.3', async () => {
    const { task, imports } = await run({
      source: 'docker.io/library/nginx => ado-tp-regex/nginx',
      tags: 'regex: 1\\.27.*, exclude: -alpine$'
    })
    expectSucceeded(task)
    expect(imports).toBe(4)
    expect(rows(task)).toEqual([
      ['imported', [`${PROD}/ado-tp-regex/nginx:1.27.3`, `${PROD}/ado-tp-regex/nginx:1.27`]],
      ...['1.27.2', '1.27.1', '1.27.0'].map((t) => ['imported', [`${PROD}/ado-tp-regex/nginx:${t}`]])
    ])
  })

  test('newest 2: a dry run shows the tags by digest and imports nothing; the run imports two', async () => {
    const file = imagesFile('newest.yaml', [
      '  - source: docker.io/library/nginx',
      '    targets: ado-tp-newest/nginx',
      "    tags: { semver: '*', newest: 2 }"
    ])
    const dry = await run({ imagesFile: file, dryRun: 'true' })
    expectSucceeded(dry.task)
    expect(dry.imports).toBe(0)
    expect(dry.task.stdout).toContain('2 of 20 tags match semver')
    expect(dry.task.stdout).toContain(`${(await hub('1.27.2')).slice(0, 19)}: 1.27.2`)
    expect(resultsOf(dry.task).map((r) => r.status)).toEqual(['planned', 'planned'])

    const { task, imports } = await run({ imagesFile: file })
    expectSucceeded(task)
    expect(imports).toBe(2)
    expect(rows(task)).toEqual([
      ['imported', [`${PROD}/ado-tp-newest/nginx:1.27.3`]],
      ['imported', [`${PROD}/ado-tp-newest/nginx:1.27.2`]]
    ])
  })

  test('pagination: a registry that pages by 5 still lists every tag, to the last page', async () => {
    testbed.faults.tagsPageLimit('*', 5)
    try {
      const pages = () => testbed.count({ method: 'GET', path: /\/v2\/library\/nginx\/tags\/list/ })
      const pagesBefore = pages()
      const { task, imports } = await run({
        source: 'docker.io/library/nginx => ado-tp-pages/nginx',
        tags: 'regex: mainline-alpine|stable'
      })
      expectSucceeded(task)
      // 'stable' sorts last of the 20 tags: it is on the fourth page only.
      expect(task.stdout).toContain('2 of 20 tags match')
      expect(pages() - pagesBefore).toBeGreaterThanOrEqual(4)
      expect(imports).toBe(2)
    } finally {
      testbed.faults.reset()
    }
  })

  test('a pattern that matches nothing is a warning: no results row, the summary says so, succeeded', async () => {
    const { task, imports } = await run({
      source: 'docker.io/library/nginx => ado-tp-none/nginx',
      tags: 'semver: >=2.0.0'
    })
    expectSucceeded(task)
    expect(imports).toBe(0)
    expect(resultsOf(task)).toEqual([])
    expect(task.warnings).toEqual([
      expect.stringMatching(
        /^source line 1: no tag of docker\.io\/library\/nginx matches semver '>=2\.0\.0' \(20 tags listed\)/
      )
    ])
    expect(summaryOf(task)).toContain('| docker.io/library/nginx (source line 1) | ⚠️ no tag matched |')
  })

  test('an entry with both a tag and tags: the task fails with one line, no request', async () => {
    const file = imagesFile('both.yaml', [
      '  - source: docker.io/library/nginx:1.27',
      "    tags: { semver: '1.27.x' }"
    ])
    const requestsBefore = testbed.requests.length
    const { task } = await run({ imagesFile: file })
    expect(task.result).toBe('Failed')
    expect(task.errors).toEqual([task.resultMessage])
    expect(task.resultMessage?.replace(`${folder}/`, '')).toMatch(
      /^both\.yaml line 2: source 'docker\.io\/library\/nginx:1\.27' has a tag or digest, but tags chooses the tags\. Write the source as a repository/
    )
    expect(testbed.requests.length).toBe(requestsBefore)
  })

  test('aliases of one digest are one import; a second run imports nothing; a moved alias is imported again', async () => {
    const entry = (force: boolean) =>
      imagesFile('aliases.yaml', [
        '  - source: docker.io/library/nginx',
        '    targets: ado-tp-alias/nginx',
        "    tags: { regex: '1\\.27\\.3|1\\.27|latest|mainline' }",
        ...(force ? ['    force: true'] : [])
      ])
    const first = await run({ imagesFile: entry(false) })
    expectSucceeded(first.task)
    expect(first.imports).toBe(1)
    const tags = ['1.27.3', '1.27', 'latest', 'mainline'].map((t) => `${PROD}/ado-tp-alias/nginx:${t}`)
    expect(rows(first.task)).toEqual([['imported', tags]])

    const second = await run({ imagesFile: entry(false) })
    expectSucceeded(second.task)
    expect(second.imports).toBe(0)
    expect(rows(second.task)).toEqual([['unchanged', tags]])

    // Upstream moves mainline to 1.27.2's image. Under NoForce the target's mainline may not move.
    const hubBackend = testbed.backend('docker.io')
    await copyImage(hubBackend, 'library/nginx', NGINX_TAGS.releases[6], hubBackend, 'library/nginx', [
      'mainline'
    ])
    const moved = await hub('1.27.2')
    const refused = await run({ imagesFile: entry(false) })
    expect(refused.imports).toBe(0)
    expect(refused.task.result).toBe('Failed')
    expect(refused.task.errors).toContainEqual(
      expect.stringContaining(`Target ${PROD}/ado-tp-alias/nginx:mainline already exists and holds sha256:`)
    )
    expect(refused.task.errors.join('\n')).toContain(
      `not the source's ${moved}. The import mode is NoForce; use force: true`
    )

    const forced = await run({ imagesFile: entry(true) })
    expectSucceeded(forced.task)
    expect(forced.imports).toBe(1)
    expect(rows(forced.task)).toEqual([
      ['unchanged', tags.slice(0, 3)],
      ['imported', [`${PROD}/ado-tp-alias/nginx:mainline`]]
    ])
    expect(await testbed.backend(PROD).headManifest('ado-tp-alias/nginx', 'mainline')).toBe(moved)
    expect(summaryOf(forced.task)).toContain(
      '| docker.io/library/nginx (aliases.yaml line 2) | 4 | 1 | 3 | 0 |'
    )
  })
})
