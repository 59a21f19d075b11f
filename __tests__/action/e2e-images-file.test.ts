// Bundle-level end-to-end: the images file and shards, run through dist/action/index.js as the runner starts it.
// A file with every field, defaults and per-entry credentials (read from the step's env); each bad file is exit
// 1 with one error line and not one request to the test bed; shards 1/3, 2/3 and 3/3 divide a list with no
// overlap and no gap, and keep their entries when the list grows. The bad files count the test bed's request
// log, so this file's tests run one after the other.
import { afterAll, describe, expect, test } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { useTestbed } from '../testbed/use-testbed.js'
import { DOCKER_HUB_USER, PRIVATE_REGISTRY, REGISTRIES, resourceIdOf } from '../testbed/world.js'
import {
  PROD,
  expectOneLineFailure,
  expectSuccess,
  importBodyFor,
  resultsOf,
  runWithOidc,
  sourceDigest
} from './e2e-steps.js'
import type { ActionRun } from './run-action.js'

const testbed = useTestbed()
const workspace = mkdtempSync(join(tmpdir(), 'action-images-file-'))
afterAll(() => rmSync(workspace, { recursive: true, force: true }))

/** Writes an images file into the job's workspace; the step names it relative to GITHUB_WORKSPACE. */
function imagesFile(name: string, text: string): string {
  writeFileSync(join(workspace, name), text)
  return name
}

/** The step's env as a workflow maps secrets into it (`env:`), plus the workspace. */
const STEP_ENV = {
  GITHUB_WORKSPACE: workspace,
  HUB_USER: DOCKER_HUB_USER.username,
  HUB_TOKEN: DOCKER_HUB_USER.password,
  CONTOSO_PASSWORD: PRIVATE_REGISTRY.password
}

const run = (inputs: Record<string, string>, env: Record<string, string> = STEP_ENV): Promise<ActionRun> =>
  runWithOidc(testbed, inputs, { env })

/** Only the masking commands may show a secret; every other line of the log must not. */
function expectMasked(run: ActionRun, secrets: string[]): void {
  const masked = run.stdout.split(/\r?\n/).filter((line) => line.startsWith('::add-mask::'))
  for (const secret of secrets) expect(masked).toContain(`::add-mask::${secret}`)
  const visible = `${run.stdout}\n${run.stderr}`
    .split(/\r?\n/)
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n')
  for (const secret of secrets) expect(visible).not.toContain(secret)
}

describe('the images file on the GitHub runner', () => {
  test('every field, defaults and per-entry credentials, after the source lines', async () => {
    const file = imagesFile(
      'fleet.yaml',
      [
        '# yaml-language-server: $schema=../images-file.schema.json',
        'defaults:',
        '  force: true',
        '  credentials: { username-env: HUB_USER, password-env: HUB_TOKEN }',
        'images:',
        '  - docker.io/contosobot/private-app:1.0', // private: only the defaults' credentials can read it
        '  - source: docker.io/library/busybox:1.36',
        '    targets: [gh-file/busybox:1.36, gh-file/busybox:stable]',
        '  - source: registry.contoso.com/team/service:2.3.1',
        '    targets: gh-file/service', // no tag: the source's
        '    repositories: [gh-file-archive/service]',
        '    force: false',
        '    credentials:',
        `      username: ${PRIVATE_REGISTRY.username}`,
        '      password-env: CONTOSO_PASSWORD',
        '  - source: app:1.1.0',
        '    source-registry: devacr',
        '    targets: [gh-file/app:1.1.0]',
        '    credentials: none'
      ].join('\n')
    )
    const step = await run({
      source: 'docker.io/library/alpine:3.20 => gh-file/alpine:3.20',
      'images-file': file
    })
    expectSuccess(step)
    expect(resultsOf(step).map((r) => [r.source, r.status])).toEqual([
      ['docker.io/library/alpine:3.20', 'imported'],
      ['docker.io/contosobot/private-app:1.0', 'imported'],
      ['docker.io/library/busybox:1.36', 'imported'],
      ['registry.contoso.com/team/service:2.3.1', 'imported'],
      ['devacr.azurecr.io/app:1.1.0', 'imported']
    ])
    expect(step.outputs.digest).toBe(await sourceDigest(testbed, 'docker.io', 'library/alpine', '3.20'))

    const hub = { username: DOCKER_HUB_USER.username, password: DOCKER_HUB_USER.password }
    expect(importBodyFor(testbed, 'contosobot/private-app:1.0')).toMatchObject({
      source: { registryUri: 'docker.io', credentials: hub },
      mode: 'Force'
    })
    expect(importBodyFor(testbed, 'gh-file/busybox:stable')).toMatchObject({
      targetTags: ['gh-file/busybox:1.36', 'gh-file/busybox:stable'],
      source: { credentials: hub },
      mode: 'Force'
    })
    expect(importBodyFor(testbed, 'gh-file/service:2.3.1')).toMatchObject({
      source: {
        registryUri: PRIVATE_REGISTRY.host,
        credentials: { username: PRIVATE_REGISTRY.username, password: PRIVATE_REGISTRY.password }
      },
      untaggedTargetRepositories: ['gh-file-archive/service'],
      mode: 'NoForce'
    })
    const app = importBodyFor(testbed, 'gh-file/app:1.1.0') as { source: Record<string, unknown> }
    expect(app.source).toMatchObject({ resourceId: resourceIdOf(REGISTRIES.dev) })
    expect(app.source.credentials).toBeUndefined()
    for (const [repo, tag, host, source] of [
      ['gh-file/busybox', 'stable', 'docker.io', 'library/busybox:1.36'],
      ['gh-file/service', '2.3.1', PRIVATE_REGISTRY.host, 'team/service:2.3.1'],
      ['gh-file/app', '1.1.0', 'devacr.azurecr.io', 'app:1.1.0']
    ]) {
      const [sourceRepo, sourceTag] = source.split(':')
      expect(await testbed.backend(PROD).headManifest(repo, tag)).toBe(
        await sourceDigest(testbed, host, sourceRepo, sourceTag)
      )
    }
    // The passwords read from the environment were registered as secrets, and appear nowhere else.
    expectMasked(step, [DOCKER_HUB_USER.password, PRIVATE_REGISTRY.password])
  })

  const BAD_FILES: {
    name: string
    text?: string
    source?: string
    env?: Record<string, string>
    line: RegExp
  }[] = [
    {
      name: 'a file that does not exist',
      line: /Images file .*missing\.yaml does not exist\. Check images-file/
    },
    {
      name: 'a YAML syntax error',
      text: 'images:\n  - source: [nginx\n',
      line: /bad\.yaml line 3: not valid YAML: .*\. Fix the YAML at that line/
    },
    {
      name: 'an unknown field',
      text: 'images:\n  - source: nginx\n    tag: 1.27\n',
      line: /bad\.yaml line 3: unknown field 'tag' in an entry of images\. The known fields are source, targets/
    },
    {
      name: 'a value of the wrong type',
      text: 'images:\n  - source: nginx\n    force: yes\n',
      line: /bad\.yaml line 3: 'force' must be true or false, not 'yes'\. Write true or false\.$/
    },
    {
      name: 'an entry without source',
      text: 'images:\n  - targets: [web:1]\n',
      line: /bad\.yaml line 2: an entry of images has no 'source'\. Write source as/
    },
    {
      name: 'a credential variable that is not set',
      text: 'images:\n  - source: nginx\n    credentials: { username-env: HUB_USER, password-env: HUB_TOKEN }\n',
      env: { GITHUB_WORKSPACE: workspace, HUB_USER: 'someone' },
      line: /bad\.yaml line 3: the environment variable HUB_TOKEN \(password-env\) is not set\. Map a secret to it/
    },
    {
      name: 'duplicate targets across the file and the source lines',
      text: 'images:\n  - source: busybox:1.36\n    targets: web/x:1\n',
      source: 'alpine:3.20 => web/x:1',
      line: /^Target 'web\/x:1' is written by both source line 1 \(alpine:3\.20\) and .*bad\.yaml line 2 \(busybox:1\.36\)\./
    }
  ]

  test.each(BAD_FILES)('$name: exit 1, one line, no request', async ({ text, source, env, line }) => {
    const file = text === undefined ? 'missing.yaml' : imagesFile('bad.yaml', text)
    const requestsBefore = testbed.requests.length
    const step = await run({ source: source ?? '', 'images-file': file }, env)
    expect(expectOneLineFailure(step)).toMatch(line)
    expect(testbed.requests.length).toBe(requestsBefore)
  })
})

describe('shards on the GitHub runner', () => {
  /** Nine entries of one image, each into its own repository (the test bed's registry races on one). */
  const list = Array.from(
    { length: 9 },
    (_, i) => `  - { source: docker.io/library/busybox:1.36, targets: gh-shard/busybox-${i}:1.36 }`
  )
  const added = '  - { source: docker.io/library/busybox:1.36, targets: gh-shard/busybox-added:1.36 }'
  const targetsOf = (step: ActionRun): string[] => resultsOf(step).flatMap((r) => r.targets)

  async function shards(file: string): Promise<string[][]> {
    const slices: string[][] = []
    for (const index of [1, 2, 3]) {
      const step = await run({ 'images-file': file, shard: `${index}/3` })
      expectSuccess(step)
      const kept = targetsOf(step)
      expect(step.stdout).toContain(
        `Shard ${index}/3: ${kept.length} of ${file === 'shards.yaml' ? 9 : 10} entries`
      )
      slices.push(kept)
    }
    return slices
  }

  test('1/3, 2/3 and 3/3 import the whole list, each entry once; a new entry moves no other', async () => {
    const slices = await shards(imagesFile('shards.yaml', ['images:', ...list].join('\n')))
    const all = Array.from({ length: 9 }, (_, i) => `${PROD}/gh-shard/busybox-${i}:1.36`)
    expect(slices.flat().sort()).toEqual(all.sort())
    expect(new Set(slices.flat()).size).toBe(9)
    const imported = testbed.imports.flatMap((i) => (i.body as { targetTags?: string[] }).targetTags ?? [])
    expect(imported.filter((tag) => tag.startsWith('gh-shard/')).sort()).toEqual(
      all.map((t) => t.slice(PROD.length + 1)).sort()
    )

    // The same list with an entry added in the middle: each old entry stays in its shard.
    const grown = await shards(
      imagesFile('shards-grown.yaml', ['images:', ...list.slice(0, 4), added, ...list.slice(4)].join('\n'))
    )
    for (const [i, slice] of slices.entries()) {
      expect(grown[i].filter((target) => !target.includes('-added:'))).toEqual(slice)
    }
    expect(grown.flat()).toContain(`${PROD}/gh-shard/busybox-added:1.36`)
  })

  test('a shard that holds no entry of a short list succeeds with empty results', async () => {
    const file = imagesFile(
      'one.yaml',
      'images:\n  - { source: docker.io/library/busybox:1.36, targets: gh-shard/one:1 }\n'
    )
    const steps = [
      await run({ 'images-file': file, shard: '1/2' }),
      await run({ 'images-file': file, shard: '2/2' })
    ]
    steps.forEach(expectSuccess)
    expect(steps.map((step) => resultsOf(step).length).sort()).toEqual([0, 1])
    const empty = steps.find((step) => resultsOf(step).length === 0)!
    expect(empty.stdout).toMatch(/Shard [12]\/2: 0 of 1 entry/)
  })
})
