// The images file and shards, run through each host's bundle as its platform starts it. A file with every field,
// defaults and per-entry credentials (read from the step's env, as a pipeline maps secrets into it); each bad
// file is a failed step with one error line and not one request to the test bed; shards 1/3, 2/3 and 3/3 divide a
// list with no overlap and no gap, and keep their entries when the list grows. The bad files count the test
// bed's request log, so the tests run one after the other. Each platform has a test bed of its own: the file's
// bare source line lands in the same target repository whoever runs it.
import { describe, expect, test } from '@jest/globals'
import { DOCKER_HUB_USER, PRIVATE_REGISTRY, REGISTRIES, resourceIdOf } from '../testbed/world.js'
import { expectOneLineFailure, expectSucceeded, resultsOf } from './expect-run.js'
import type { Host, HostRun, Step } from './host.js'
import { ACTION_AND_TASK_ON, NODE24, onEachHost } from './on-each-host.js'
import { expectNoSecretShown } from './secrets.js'
import { PROD, importBodyFor, sourceDigest } from './testbed-reads.js'
import { useWorkspace } from './workspace.js'

const workspace = useWorkspace('images-file')

/** The step's env as a pipeline maps secrets into it (`env:`). */
const STEP_ENV = {
  HUB_USER: DOCKER_HUB_USER.username,
  HUB_TOKEN: DOCKER_HUB_USER.password,
  CONTOSO_PASSWORD: PRIVATE_REGISTRY.password
}

const BAD_FILES: {
  name: string
  text?: string
  source?: string
  env?: Record<string, string>
  line: RegExp
  /** What the line goes on to say on one platform (how that platform maps a secret into the env). */
  hint?: Partial<Record<Host['platform'], RegExp>>
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
    env: { HUB_USER: 'someone' },
    line: /bad\.yaml line 3: the environment variable HUB_TOKEN \(password-env\) is not set\./,
    hint: { action: /is not set\. Map a secret to it/, task: /is not set\. .*\$\(NAME\) in Azure Pipelines/ }
  },
  {
    name: 'duplicate targets across the file and the source lines',
    text: 'images:\n  - source: busybox:1.36\n    targets: web/x:1\n',
    source: 'alpine:3.20 => web/x:1',
    line: /^Target 'web\/x:1' is written by both source line 1 \(alpine:3\.20\) and .*bad\.yaml line 2 \(busybox:1\.36\)\./
  }
]

onEachHost('the images file', ACTION_AND_TASK_ON(NODE24), (host, testbed) => {
  /** Runs a step with the workspace and the mapped secrets; no run may show a secret. */
  async function run(inputs: Step['inputs'], env: Record<string, string> = STEP_ENV): Promise<HostRun> {
    const step = await host.run(testbed, { inputs, env }, workspace.folder)
    expectNoSecretShown(step, testbed)
    return step
  }
  const repo = (name: string): string => `${host.id}-${name}`

  test('every field, defaults and per-entry credentials, after the source lines', async () => {
    const file = workspace.write(
      `fleet-${host.id}.yaml`,
      [
        '# yaml-language-server: $schema=../images-file.schema.json',
        'defaults:',
        '  force: true',
        '  credentials: { username-env: HUB_USER, password-env: HUB_TOKEN }',
        'images:',
        '  - docker.io/contosobot/private-app:1.0', // private: only the defaults' credentials can read it
        '  - source: docker.io/library/busybox:1.36',
        `    targets: [${repo('file')}/busybox:1.36, ${repo('file')}/busybox:stable]`,
        '  - source: registry.contoso.com/team/service:2.3.1',
        `    targets: ${repo('file')}/service`, // no tag: the source's
        `    repositories: [${repo('file-archive')}/service]`,
        '    force: false',
        '    credentials:',
        `      username: ${PRIVATE_REGISTRY.username}`,
        '      password-env: CONTOSO_PASSWORD',
        '  - source: app:1.1.0',
        '    source-registry: devacr',
        `    targets: [${repo('file')}/app:1.1.0]`,
        '    credentials: none'
      ].join('\n')
    )
    const step = await run({
      source: `docker.io/library/alpine:3.20 => ${repo('file')}/alpine:3.20`,
      'images-file': file
    })
    expectSucceeded(step)
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
    expect(importBodyFor(testbed, `${repo('file')}/busybox:stable`)).toMatchObject({
      targetTags: [`${repo('file')}/busybox:1.36`, `${repo('file')}/busybox:stable`],
      source: { credentials: hub },
      mode: 'Force'
    })
    expect(importBodyFor(testbed, `${repo('file')}/service:2.3.1`)).toMatchObject({
      source: {
        registryUri: PRIVATE_REGISTRY.host,
        credentials: { username: PRIVATE_REGISTRY.username, password: PRIVATE_REGISTRY.password }
      },
      untaggedTargetRepositories: [`${repo('file-archive')}/service`],
      mode: 'NoForce'
    })
    const app = importBodyFor(testbed, `${repo('file')}/app:1.1.0`) as { source: Record<string, unknown> }
    expect(app.source).toMatchObject({ resourceId: resourceIdOf(REGISTRIES.dev) })
    expect(app.source.credentials).toBeUndefined()
    for (const [target, tag, sourceHost, source] of [
      [`${repo('file')}/busybox`, 'stable', 'docker.io', 'library/busybox:1.36'],
      [`${repo('file')}/service`, '2.3.1', PRIVATE_REGISTRY.host, 'team/service:2.3.1'],
      [`${repo('file')}/app`, '1.1.0', 'devacr.azurecr.io', 'app:1.1.0']
    ]) {
      const [sourceRepo, sourceTag] = source.split(':')
      expect(await testbed.backend(PROD).headManifest(target, tag)).toBe(
        await sourceDigest(testbed, sourceHost, sourceRepo, sourceTag)
      )
    }
    // The passwords read from the environment went to the platform's masker, and appear nowhere else.
    const passwords = [DOCKER_HUB_USER.password, PRIVATE_REGISTRY.password]
    expect(step.masked).toEqual(expect.arrayContaining(passwords))
    for (const password of passwords) expect(step.shown).not.toContain(password)
  })

  test.each(BAD_FILES)(
    '$name: a failed step, one line, no request',
    async ({ text, source, env, line, hint }) => {
      const file = text === undefined ? 'missing.yaml' : workspace.write('bad.yaml', text)
      const requestsBefore = testbed.requests.length
      const step = await run({ source: source ?? '', 'images-file': file }, env)
      const failure = expectOneLineFailure(step)
      expect(failure).toMatch(line)
      if (hint?.[host.platform]) expect(failure).toMatch(hint[host.platform]!)
      expect(testbed.requests.length).toBe(requestsBefore)
    }
  )

  describe('shards', () => {
    /** Nine entries of one image, each into its own repository (the test bed's registry races on one). */
    const list = Array.from(
      { length: 9 },
      (_, i) => `  - { source: docker.io/library/busybox:1.36, targets: ${repo('shard')}/busybox-${i}:1.36 }`
    )
    const added = `  - { source: docker.io/library/busybox:1.36, targets: ${repo('shard')}/busybox-added:1.36 }`

    /** The targets each of three jobs kept (`shard: i/3`, as a matrix or a parallel job sets it). */
    async function shards(file: string, total: number): Promise<string[][]> {
      const slices: string[][] = []
      for (const index of [1, 2, 3]) {
        const step = await run({ 'images-file': file, shard: `${index}/3` })
        expectSucceeded(step)
        const kept = resultsOf(step).flatMap((r) => r.targets)
        expect(step.log).toContain(`Shard ${index}/3: ${kept.length} of ${total} entries`)
        slices.push(kept)
      }
      return slices
    }

    test('1/3, 2/3 and 3/3 import the whole list, each entry once; a new entry moves no other', async () => {
      const slices = await shards(
        workspace.write(`shards-${host.id}.yaml`, ['images:', ...list].join('\n')),
        9
      )
      const all = Array.from({ length: 9 }, (_, i) => `${PROD}/${repo('shard')}/busybox-${i}:1.36`)
      expect(slices.flat().sort()).toEqual(all.sort())
      expect(new Set(slices.flat()).size).toBe(9)
      const imported = testbed.imports.flatMap((i) => (i.body as { targetTags?: string[] }).targetTags ?? [])
      expect(imported.filter((tag) => tag.startsWith(`${repo('shard')}/`)).sort()).toEqual(
        all.map((t) => t.slice(PROD.length + 1)).sort()
      )

      // The same list with an entry added in the middle: each old entry stays in its shard.
      const grown = await shards(
        workspace.write(
          `shards-grown-${host.id}.yaml`,
          ['images:', ...list.slice(0, 4), added, ...list.slice(4)].join('\n')
        ),
        10
      )
      for (const [i, slice] of slices.entries()) {
        expect(grown[i].filter((target) => !target.includes('-added:'))).toEqual(slice)
      }
      expect(grown.flat()).toContain(`${PROD}/${repo('shard')}/busybox-added:1.36`)
    })

    test('a shard that holds no entry of a short list succeeds with empty results', async () => {
      const file = workspace.write(
        `one-${host.id}.yaml`,
        `images:\n  - { source: docker.io/library/busybox:1.36, targets: ${repo('shard')}/one:1 }\n`
      )
      const steps = [
        await run({ 'images-file': file, shard: '1/2' }),
        await run({ 'images-file': file, shard: '2/2' })
      ]
      steps.forEach(expectSucceeded)
      expect(steps.map((step) => resultsOf(step).length).sort()).toEqual([0, 1])
      const empty = steps.find((step) => resultsOf(step).length === 0)!
      expect(empty.log).toMatch(/Shard [12]\/2: 0 of 1 entry/)
    })
  })
})
