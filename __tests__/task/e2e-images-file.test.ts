// Bundle-level end-to-end: the images file and shards, run through dist/task/index.js as the agent starts it
// (Node 24). A file with every field, defaults and per-entry credentials (read from the task's env, as a
// pipeline maps secret variables with `env:`); each bad file is a failed task with one error line and not one
// request to the test bed; shards 1/3, 2/3 and 3/3 divide a list with no overlap and no gap, and keep their
// entries when the list grows. The bad files count the test bed's request log, so the tests run one at a time.
import { afterAll, describe, expect, test } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { useTestbed } from '../testbed/use-testbed.js'
import { DOCKER_HUB_USER, PRIVATE_REGISTRY, REGISTRIES, resourceIdOf } from '../testbed/world.js'
import { NODE_VERSIONS, removeRunFolders, runTask, visibleOutput, type TaskRun } from './agent.js'
import { expectNoSecretPrinted, federatedJob } from './e2e-world.js'

const testbed = useTestbed()
const node24 = NODE_VERSIONS[1].binary
const folder = mkdtempSync(join(tmpdir(), 'task-images-file-'))
afterAll(() => {
  removeRunFolders()
  rmSync(folder, { recursive: true, force: true })
})

/** Writes an images file; the task gets its absolute path (the agent's working folder is made per run). */
function imagesFile(name: string, text: string): string {
  const path = join(folder, name)
  writeFileSync(path, text)
  return path
}

/** The task's env as `env:` maps secret variables into it. */
const TASK_ENV = {
  HUB_USER: DOCKER_HUB_USER.username,
  HUB_TOKEN: DOCKER_HUB_USER.password,
  CONTOSO_PASSWORD: PRIVATE_REGISTRY.password
}

async function run(inputs: Record<string, string>, env: Record<string, string> = TASK_ENV): Promise<TaskRun> {
  const job = federatedJob(testbed, { registry: 'prodacr', ...inputs })
  job.extraEnv = { ...job.extraEnv, ...env }
  const result = await runTask(job, { node: node24 })
  expectNoSecretPrinted(result, job, testbed)
  return result
}

function expectSucceeded(run: TaskRun): void {
  if (run.result !== 'Succeeded') throw new Error(`the task failed: ${run.resultMessage}\n${run.stdout}`)
}

const resultsOf = (run: TaskRun): { source: string; targets: string[]; status: string }[] =>
  JSON.parse(run.outputs.results ?? '[]')

const importBody = (targetTag: string) =>
  testbed.imports
    .map((i) => i.body as { targetTags?: string[]; source: Record<string, unknown>; mode?: string })
    .find((body) => body.targetTags?.includes(targetTag))

describe('the images file in Azure Pipelines', () => {
  test('every field, defaults and per-entry credentials, after the source lines', async () => {
    const file = imagesFile(
      'fleet.yaml',
      [
        'defaults:',
        '  force: true',
        '  credentials: { username-env: HUB_USER, password-env: HUB_TOKEN }',
        'images:',
        '  - docker.io/contosobot/private-app:1.0', // private: only the defaults' credentials can read it
        '  - source: docker.io/library/busybox:1.36',
        '    targets: [ado-file/busybox:1.36, ado-file/busybox:stable]',
        '  - source: registry.contoso.com/team/service:2.3.1',
        '    targets: ado-file/service',
        '    repositories: [ado-file-archive/service]',
        '    force: false',
        '    credentials:',
        `      username: ${PRIVATE_REGISTRY.username}`,
        '      password-env: CONTOSO_PASSWORD',
        '  - source: app:1.1.0',
        '    source-registry: devacr',
        '    targets: [ado-file/app:1.1.0]',
        '    credentials: none'
      ].join('\n')
    )
    const task = await run({
      source: 'docker.io/library/alpine:3.20 => ado-file/alpine:3.20',
      imagesFile: file
    })
    expectSucceeded(task)
    expect(resultsOf(task).map((r) => [r.source, r.status])).toEqual([
      ['docker.io/library/alpine:3.20', 'imported'],
      ['docker.io/contosobot/private-app:1.0', 'imported'],
      ['docker.io/library/busybox:1.36', 'imported'],
      ['registry.contoso.com/team/service:2.3.1', 'imported'],
      ['devacr.azurecr.io/app:1.1.0', 'imported']
    ])
    const hub = { username: DOCKER_HUB_USER.username, password: DOCKER_HUB_USER.password }
    expect(importBody('contosobot/private-app:1.0')).toMatchObject({
      source: { credentials: hub },
      mode: 'Force'
    })
    expect(importBody('ado-file/busybox:stable')).toMatchObject({
      source: { credentials: hub },
      mode: 'Force'
    })
    expect(importBody('ado-file/service:2.3.1')).toMatchObject({
      source: { registryUri: PRIVATE_REGISTRY.host, credentials: { username: PRIVATE_REGISTRY.username } },
      untaggedTargetRepositories: ['ado-file-archive/service'],
      mode: 'NoForce'
    })
    const app = importBody('ado-file/app:1.1.0')!
    expect(app.source).toMatchObject({ resourceId: resourceIdOf(REGISTRIES.dev) })
    expect(app.source.credentials).toBeUndefined()
    expect(await testbed.backend('prodacr.azurecr.io').headManifest('ado-file/service', '2.3.1')).toBe(
      await testbed.backend(PRIVATE_REGISTRY.host).headManifest('team/service', '2.3.1')
    )
    // The passwords read from the environment went to the agent's masker, and nowhere else in the log.
    expect(task.secrets).toEqual(
      expect.arrayContaining([DOCKER_HUB_USER.password, PRIVATE_REGISTRY.password])
    )
    for (const secret of [DOCKER_HUB_USER.password, PRIVATE_REGISTRY.password]) {
      expect(visibleOutput(task)).not.toContain(secret)
    }
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
      env: { HUB_USER: 'someone' },
      line: /bad\.yaml line 3: the environment variable HUB_TOKEN \(password-env\) is not set\. .*\$\(NAME\) in Azure Pipelines/
    },
    {
      name: 'duplicate targets across the file and the source lines',
      text: 'images:\n  - source: busybox:1.36\n    targets: web/x:1\n',
      source: 'alpine:3.20 => web/x:1',
      line: /^Target 'web\/x:1' is written by both source line 1 \(alpine:3\.20\) and .*bad\.yaml line 2 \(busybox:1\.36\)\./
    }
  ]

  test.each(BAD_FILES)(
    '$name: the task fails with one line, no request',
    async ({ text, source, env, line }) => {
      const file = text === undefined ? join(folder, 'missing.yaml') : imagesFile('bad.yaml', text)
      const requestsBefore = testbed.requests.length
      const task = await run({ source: source ?? '', imagesFile: file }, env)
      // The agent fails a task by its task.complete result, not by the exit code.
      expect(task.result).toBe('Failed')
      expect(task.resultMessage).toMatch(line)
      // task-lib repeats the result message as an error: that one line is the only one.
      expect(task.errors).toEqual([task.resultMessage])
      expect(task.resultMessage).not.toContain('\n')
      expect(testbed.requests.length).toBe(requestsBefore)
    }
  )
})

describe('shards in Azure Pipelines', () => {
  /** Nine entries of one image, each into its own repository (the test bed's registry races on one). */
  const list = Array.from(
    { length: 9 },
    (_, i) => `  - { source: docker.io/library/busybox:1.36, targets: ado-shard/busybox-${i}:1.36 }`
  )
  const added = '  - { source: docker.io/library/busybox:1.36, targets: ado-shard/busybox-added:1.36 }'

  /** The targets each of the three jobs kept, as `System.JobPositionInPhase/System.TotalJobsInPhase` says. */
  async function shards(file: string, total: number): Promise<string[][]> {
    const slices: string[][] = []
    for (const position of [1, 2, 3]) {
      const task = await run({ imagesFile: file, shard: `${position}/3` })
      expectSucceeded(task)
      const kept = resultsOf(task).flatMap((r) => r.targets)
      expect(task.stdout).toContain(`Shard ${position}/3: ${kept.length} of ${total} entries`)
      slices.push(kept)
    }
    return slices
  }

  test('1/3, 2/3 and 3/3 import the whole list, each entry once; a new entry moves no other', async () => {
    const slices = await shards(imagesFile('shards.yaml', ['images:', ...list].join('\n')), 9)
    const all = Array.from({ length: 9 }, (_, i) => `prodacr.azurecr.io/ado-shard/busybox-${i}:1.36`)
    expect(slices.flat().sort()).toEqual(all.sort())
    expect(new Set(slices.flat()).size).toBe(9)

    const grown = await shards(
      imagesFile('shards-grown.yaml', ['images:', ...list.slice(0, 4), added, ...list.slice(4)].join('\n')),
      10
    )
    for (const [i, slice] of slices.entries()) {
      expect(grown[i].filter((target) => !target.includes('-added:'))).toEqual(slice)
    }
    expect(grown.flat()).toContain('prodacr.azurecr.io/ado-shard/busybox-added:1.36')
  })
})
