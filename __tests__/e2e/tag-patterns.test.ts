// Mirror by tag pattern, run through each host's bundle as its platform starts it (the task on Node 24 only: the
// engine is the same on Node 20, which the other task scenarios cover), against the test bed's nginx (20 tags:
// releases, a prerelease, -alpine variants, moving aliases) on Docker Hub and in devacr. A semver range (both
// registries); a regex with exclude through the `tags` input; newest 2, dry run first; Link pagination past the
// first page; a pattern that matches nothing (a warning); a repository that cannot be listed; an entry with a
// tag and tags (one line, no request); aliases of one digest as ONE import, a second run with no import, a moved
// alias refused under NoForce and imported with force. The tests count the test bed's imports and move a source
// tag, so they run one after the other, the moved alias last, on a test bed per platform.
import { expect, test } from '@jest/globals'
import { copyImage } from '../testbed/registry/copy.js'
import { NGINX_TAGS } from '../testbed/world.js'
import { expectOneLineFailure, expectSucceeded, resultsOf } from './expect-run.js'
import type { HostRun, Step } from './host.js'
import { ACTION_AND_TASK_ON, NODE24, onEachHost } from './on-each-host.js'
import { expectNoSecretShown } from './secrets.js'
import { PROD, counting, sourceDigest } from './testbed-reads.js'
import { useWorkspace } from './workspace.js'

const workspace = useWorkspace('tag-patterns')

const imagesFile = (name: string, lines: string[]): string =>
  workspace.write(name, ['images:', ...lines].join('\n'))

/** The summary with the workspace folder left out of the file names. */
const summaryOf = (step: HostRun): string => step.summary.replaceAll(`${workspace.folder}/`, '')
const rows = (step: HostRun) => resultsOf(step).map((r) => [r.status, r.targets])

onEachHost('mirror by tag pattern', ACTION_AND_TASK_ON(NODE24), (host, testbed) => {
  /**
   * One import at a time: a pattern's digests all land in one repository and share a layer, and the test bed's
   * distribution server answers two copies of one blob into one repository at once with a 500 (ACR does not).
   * Returns the run and how many importImage POSTs it made; no run may show a secret.
   */
  const run = (inputs: Step['inputs']): Promise<{ step: HostRun; imports: number }> =>
    counting(testbed, async () => {
      const step = await host.run(testbed, { inputs: { concurrency: '1', ...inputs } }, workspace.folder)
      expectNoSecretShown(step, testbed)
      return step
    })
  const hub = (tag: string) => sourceDigest(testbed, 'docker.io', 'library/nginx', tag)
  const repo = (name: string): string => `${host.id}-${name}`

  test('a semver range: each release one import, pinned by digest, from Docker Hub and from an ACR', async () => {
    const file = imagesFile('semver.yaml', [
      '  - source: docker.io/library/nginx',
      `    targets: ${repo('tp-semver')}/nginx`,
      "    tags: { semver: '>=1.27.0 <1.28.0' }",
      '  - source: nginx',
      '    source-registry: devacr',
      `    targets: ${repo('tp-semver')}/acr-nginx`,
      "    tags: { semver: '1.26.x' }"
    ])
    const { step, imports } = await run({ 'images-file': file })
    expectSucceeded(step)
    expect(imports).toBe(8)
    expect(rows(step)).toEqual([
      ...['1.27.3', '1.27.2', '1.27.1', '1.27.0'].map((t) => [
        'imported',
        [`${PROD}/${repo('tp-semver')}/nginx:${t}`]
      ]),
      ...['1.26.3', '1.26.2', '1.26.1', '1.26.0'].map((t) => [
        'imported',
        [`${PROD}/${repo('tp-semver')}/acr-nginx:${t}`]
      ])
    ])
    const first = resultsOf(step)[0]
    expect(first.source).toBe('docker.io/library/nginx:1.27.3')
    expect(first.digest).toBe(await hub('1.27.3'))
    expect(await testbed.backend(PROD).headManifest(`${repo('tp-semver')}/nginx`, '1.27.0')).toBe(
      await hub('1.27.0')
    )
    expect(await testbed.backend(PROD).headManifest(`${repo('tp-semver')}/acr-nginx`, '1.26.0')).toBe(
      await sourceDigest(testbed, 'devacr.azurecr.io', 'nginx', '1.26.0')
    )
    expect(summaryOf(step)).toContain('| docker.io/library/nginx (semver.yaml line 2) | 4 | 4 | 0 | 0 |')
    expect(summaryOf(step)).toContain('| devacr.azurecr.io/nginx (semver.yaml line 5) | 4 | 4 | 0 | 0 |')
  })

  test('a regex with exclude, through the tags input on a source line: 1.27 rides with 1.27.3', async () => {
    const { step, imports } = await run({
      source: `docker.io/library/nginx => ${repo('tp-regex')}/nginx`,
      tags: 'regex: 1\\.27.*, exclude: -alpine$'
    })
    expectSucceeded(step)
    expect(imports).toBe(4)
    expect(rows(step)).toEqual([
      ['imported', [`${PROD}/${repo('tp-regex')}/nginx:1.27.3`, `${PROD}/${repo('tp-regex')}/nginx:1.27`]],
      ...['1.27.2', '1.27.1', '1.27.0'].map((t) => ['imported', [`${PROD}/${repo('tp-regex')}/nginx:${t}`]])
    ])
    expect(await testbed.backend(PROD).headManifest(`${repo('tp-regex')}/nginx`, '1.27')).toBe(
      await hub('1.27.3')
    )
  })

  test('newest 2: a dry run shows the tags by digest and imports nothing; the run imports two', async () => {
    const file = imagesFile('newest.yaml', [
      '  - source: docker.io/library/nginx',
      `    targets: ${repo('tp-newest')}/nginx`,
      "    tags: { semver: '*', newest: 2 }"
    ])
    const dry = await run({ 'images-file': file, 'dry-run': 'true' })
    expectSucceeded(dry.step)
    expect(dry.imports).toBe(0)
    expect(dry.step.log).toContain('2 of 20 tags match semver')
    expect(dry.step.log).toContain(`${(await hub('1.27.3')).slice(0, 19)}: 1.27.3`)
    expect(dry.step.log).toContain(`${(await hub('1.27.2')).slice(0, 19)}: 1.27.2`)
    expect(dry.step.log).toContain(`Would import library/nginx@${await hub('1.27.3')}`)
    expect(resultsOf(dry.step).map((r) => r.status)).toEqual(['planned', 'planned'])
    expect(summaryOf(dry.step)).toContain('| Tag pattern | Tags matched | Would be imported |')

    const { step, imports } = await run({ 'images-file': file })
    expectSucceeded(step)
    expect(imports).toBe(2)
    expect(rows(step)).toEqual([
      ['imported', [`${PROD}/${repo('tp-newest')}/nginx:1.27.3`]],
      ['imported', [`${PROD}/${repo('tp-newest')}/nginx:1.27.2`]]
    ])
  })

  test('pagination: a registry that pages by 5 still lists every tag, to the last page', async () => {
    testbed.faults.tagsPageLimit('*', 5)
    try {
      const pages = () => testbed.count({ method: 'GET', path: /\/v2\/library\/nginx\/tags\/list/ })
      const pagesBefore = pages()
      const { step, imports } = await run({
        source: `docker.io/library/nginx => ${repo('tp-pages')}/nginx`,
        tags: 'regex: mainline-alpine|stable'
      })
      expectSucceeded(step)
      // 'stable' sorts last of the 20 tags: it is on the fourth page only.
      expect(step.log).toContain('2 of 20 tags match')
      expect(pages() - pagesBefore).toBeGreaterThanOrEqual(4)
      expect(imports).toBe(2)
      expect(await testbed.backend(PROD).headManifest(`${repo('tp-pages')}/nginx`, 'stable')).toBe(
        await hub('1.26.3')
      )
    } finally {
      testbed.faults.reset()
    }
  })

  test('a pattern that matches nothing is a warning: no results row, the summary says so, success', async () => {
    const { step, imports } = await run({
      source: `docker.io/library/nginx => ${repo('tp-none')}/nginx`,
      tags: 'semver: >=2.0.0'
    })
    expectSucceeded(step)
    expect(imports).toBe(0)
    expect(resultsOf(step)).toEqual([])
    expect(step.warnings).toEqual([
      expect.stringMatching(
        /^source line 1: no tag of docker\.io\/library\/nginx matches semver '>=2\.0\.0' \(20 tags listed\)/
      )
    ])
    expect(summaryOf(step)).toContain('| docker.io/library/nginx (source line 1) | ⚠️ no tag matched |')
  })

  test('a repository that cannot be listed fails its entry with the hint', async () => {
    const { step } = await run({
      source: `docker.io/contosobot/private-app => ${repo('tp-private')}/app`,
      tags: 'semver: *'
    })
    expect(expectOneLineFailure(step)).toMatch(
      /^source line 1: the tags of docker\.io\/contosobot\/private-app cannot be listed: .*HTTP 401.*\. The repository may be private: give credentials/
    )
  })

  test('an entry with both a tag and tags: a failed step, one line, no request', async () => {
    const file = imagesFile('both.yaml', [
      '  - source: docker.io/library/nginx:1.27',
      "    tags: { semver: '1.27.x' }"
    ])
    const requestsBefore = testbed.requests.length
    const { step } = await run({ 'images-file': file })
    expect(expectOneLineFailure(step).replace(`${workspace.folder}/`, '')).toMatch(
      /^both\.yaml line 2: source 'docker\.io\/library\/nginx:1\.27' has a tag or digest, but tags chooses the tags\. Write the source as a repository \(e\.g\. docker\.io\/library\/nginx\)/
    )
    expect(testbed.requests.length).toBe(requestsBefore)
  })

  test('aliases of one digest are one import; a second run imports nothing; a moved alias is imported again', async () => {
    const entry = (force: boolean) =>
      imagesFile('aliases.yaml', [
        '  - source: docker.io/library/nginx',
        `    targets: ${repo('tp-alias')}/nginx`,
        "    tags: { regex: '1\\.27\\.3|1\\.27|latest|mainline' }",
        ...(force ? ['    force: true'] : [])
      ])
    const first = await run({ 'images-file': entry(false) })
    expectSucceeded(first.step)
    expect(first.imports).toBe(1)
    const tags = ['1.27.3', '1.27', 'latest', 'mainline'].map((t) => `${PROD}/${repo('tp-alias')}/nginx:${t}`)
    expect(rows(first.step)).toEqual([['imported', tags]])

    const second = await run({ 'images-file': entry(false) })
    expectSucceeded(second.step)
    expect(second.imports).toBe(0)
    expect(rows(second.step)).toEqual([['unchanged', tags]])
    expect(summaryOf(second.step)).toContain(
      '| docker.io/library/nginx (aliases.yaml line 2) | 4 | 0 | 4 | 0 |'
    )

    // Upstream moves mainline to 1.27.2's image. Under NoForce the target's mainline may not move.
    const hubBackend = testbed.backend('docker.io')
    await copyImage(hubBackend, 'library/nginx', NGINX_TAGS.releases[6], hubBackend, 'library/nginx', [
      'mainline'
    ])
    const moved = await hub('1.27.2')
    const refused = await run({ 'images-file': entry(false) })
    expect(refused.imports).toBe(0)
    expect(refused.step.failed).toBe(true)
    // The failed import's own error line: the moved tag and the fix (the agent names the import's source first).
    const start = host.platform === 'task' ? 'docker\\.io/library/nginx:[\\w.-]+: ' : ''
    expect(refused.step.errors).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^${start}Target ${PROD.replace(/\./g, '\\.')}/${repo('tp-alias')}/nginx:mainline already exists and holds sha256:[0-9a-f]{12}, not the source's ${moved.slice(0, 19)}\\. .*use force: true to overwrite it`
        )
      )
    )
    expect(refused.step.errors.join('\n')).toContain(
      `not the source's ${moved.slice(0, 19)}. A tag that holds another image is not overwritten without force; use force: true`
    )

    const forced = await run({ 'images-file': entry(true) })
    expectSucceeded(forced.step)
    expect(forced.imports).toBe(1)
    expect(rows(forced.step)).toEqual([
      ['unchanged', tags.slice(0, 3)],
      ['imported', [`${PROD}/${repo('tp-alias')}/nginx:mainline`]]
    ])
    expect(await testbed.backend(PROD).headManifest(`${repo('tp-alias')}/nginx`, 'mainline')).toBe(moved)
    expect(await testbed.backend(PROD).headManifest(`${repo('tp-alias')}/nginx`, 'latest')).toBe(
      await hub('1.27.3')
    )
    expect(summaryOf(forced.step)).toContain(
      '| docker.io/library/nginx (aliases.yaml line 2) | 4 | 1 | 3 | 0 |'
    )
  })
})
