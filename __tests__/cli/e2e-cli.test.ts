// The command line end to end: dist/cli/index.js run as a child process against the test bed, as a GitLab or
// Jenkins job or a laptop runs it. An images file imported with a client secret from the environment (results
// JSON on stdout, the log on stderr, the summary file), the same run again reporting `unchanged`, a federated
// token file, a managed identity, the az session of a laptop, --debug showing no secret, a failed import (exit
// 1), Ctrl-C (exit 130 after the import in flight is abandoned); on Node 20 and 24.
// The runs share the test bed's target registry, so this file's tests run one after the other.
import { afterAll, describe, expect, test } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { installFakeAz, type FakeAz } from '../action/fake-az.js'
import { proxyTunnelTransport } from '../testbed/registry/http-transport.js'
import { useTestbed } from '../testbed/use-testbed.js'
import {
  APPS,
  DOCKER_HUB_USER,
  MANAGED_IDENTITY,
  REGISTRIES,
  SUB_PROD,
  TENANT_A,
  loginServerOf
} from '../testbed/world.js'
import {
  expectExit,
  MACHINE_NODE,
  NODE24,
  runCli,
  showsStackTrace,
  startCli,
  type CliRun
} from './run-cli.js'

const testbed = useTestbed()
const PROD = loginServerOf(REGISTRIES.prod)
const folder = mkdtempSync(join(tmpdir(), 'cli-e2e-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))

/** A CI job's environment: the test bed's network, and the app's client secret in Azure's variables. */
const secretEnv = (): Record<string, string> => ({
  ...testbed.env,
  AZURE_TENANT_ID: TENANT_A,
  AZURE_CLIENT_ID: APPS.github.appId,
  AZURE_CLIENT_SECRET: APPS.github.clientSecret,
  AZURE_SUBSCRIPTION_ID: SUB_PROD
})

function file(name: string, text: string): string {
  const path = join(folder, name)
  writeFileSync(path, text)
  return path
}

interface Result {
  source: string
  targets: string[]
  digest: string
  status: string
}

const resultsOf = (run: CliRun): Result[] => JSON.parse(run.stdout) as Result[]

async function sourceDigest(host: string, repo: string, tag: string): Promise<string> {
  const digest = await testbed.backend(host).headManifest(repo, tag)
  if (!digest) throw new Error(`fixture ${host}/${repo}:${tag} is missing`)
  return digest
}

/** The flags that import alpine:3.20 into prodacr as `repo:3.20`. */
const importAlpine = (repo: string): string[] => [
  '--registry',
  'prodacr',
  '--source',
  'docker.io/library/alpine:3.20',
  '--image',
  `${repo}:3.20`
]

/** Checks that prodacr's `repo:3.20` holds the source's alpine:3.20. */
async function expectAlpineIn(repo: string): Promise<void> {
  expect(await testbed.backend(PROD).headManifest(repo, '3.20')).toBe(
    await sourceDigest('docker.io', 'library/alpine', '3.20')
  )
}

/** A GitHub job's OIDC token from the test bed's token service, as a CI job would write it into a file. */
async function federatedToken(subject: string): Promise<string> {
  const { ACTIONS_ID_TOKEN_REQUEST_URL: url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: token } =
    testbed.githubOidc(subject)
  const request = new URL(url)
  request.searchParams.set('audience', 'api://AzureADTokenExchange')
  const send = proxyTunnelTransport(testbed.env.HTTPS_PROXY, readFileSync(testbed.caCertPath, 'utf8'))
  const answer = await send(request, 'GET', { authorization: `Bearer ${token}` })
  expect(answer.status).toBe(200)
  return (JSON.parse(answer.body.toString('utf8')) as { value: string }).value
}

/** Waits for a condition of the test bed (checked every 20 ms), up to `ms`. */
async function until(condition: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('the condition never came true')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('acr-import on any CI', () => {
  const images = (): string =>
    file(
      'images.yaml',
      [
        'images:',
        '  - source: docker.io/library/busybox:1.36',
        '    targets: [cli/busybox:1.36, cli/busybox:stable]',
        '  - source: docker.io/contosobot/private-app:1.0',
        '    targets: cli/private-app:1.0',
        '    credentials: { username-env: HUB_USER, password-env: HUB_TOKEN }'
      ].join('\n')
    )
  const hubEnv = { HUB_USER: DOCKER_HUB_USER.username, HUB_TOKEN: DOCKER_HUB_USER.password }

  test("--images-file with --json: imports with a secret from the environment; JSON on stdout, log on stderr (on the machine's Node, 20)", async () => {
    const summary = join(folder, 'summary.md')
    const run = await runCli(
      ['--registry', 'prodacr', '--images-file', images(), '--json', '--summary', summary],
      {
        env: { ...secretEnv(), ...hubEnv },
        node: MACHINE_NODE
      }
    )
    expectExit(run, 0)
    const results = resultsOf(run)
    // A username read from a variable is a secret too (issue 17, D14): here it is also the repository's owner,
    // so the printed results mask it there as well.
    expect(results.map((r) => [r.source, r.status])).toEqual([
      ['docker.io/library/busybox:1.36', 'imported'],
      ['docker.io/***/private-app:1.0', 'imported']
    ])
    const busybox = await sourceDigest('docker.io', 'library/busybox', '1.36')
    expect(results[0]).toMatchObject({
      digest: busybox,
      targets: [`${PROD}/cli/busybox:1.36`, `${PROD}/cli/busybox:stable`]
    })
    expect(await testbed.backend(PROD).headManifest('cli/busybox', 'stable')).toBe(busybox)
    expect(await testbed.backend(PROD).headManifest('cli/private-app', '1.0')).toBe(
      await sourceDigest('docker.io', 'contosobot/private-app', '1.0')
    )
    // The log went to stderr: which sign-in, one group per image, the digest.
    expect(run.stderr).toContain('auth: auto picked client-secret (AZURE_CLIENT_SECRET is set)')
    expect(run.stderr).toMatch(new RegExp(`^\\s+.*${busybox}`, 'm'))
    expect(readFileSync(summary, 'utf8')).toContain('cli/busybox')
    expect(showsStackTrace(run)).toBe(false)
    for (const secret of [APPS.github.clientSecret, DOCKER_HUB_USER.password]) {
      expect(`${run.stdout}${run.stderr}${readFileSync(summary, 'utf8')}`).not.toContain(secret)
    }
  })

  test('the same run again reports unchanged (on Node 24)', async () => {
    const run = await runCli(['--registry', 'prodacr', '--images-file', images(), '--json'], {
      env: { ...secretEnv(), ...hubEnv },
      node: NODE24
    })
    expectExit(run, 0)
    expect(resultsOf(run).map((r) => r.status)).toEqual(['unchanged', 'unchanged'])
  })

  test('a federated token file signs in (GitLab id_tokens, Kubernetes workload identity)', async () => {
    const token = await federatedToken('repo:contoso/app:ref:refs/heads/main')
    const tokenFile = file('id-token', token)
    const run = await runCli([...importAlpine('cli/alpine'), '--debug'], {
      env: {
        ...testbed.env,
        AZURE_TENANT_ID: TENANT_A,
        AZURE_CLIENT_ID: APPS.github.appId,
        AZURE_FEDERATED_TOKEN_FILE: tokenFile,
        AZURE_SUBSCRIPTION_ID: SUB_PROD
      }
    })
    expectExit(run, 0)
    expect(run.stderr).toContain('auth: auto picked oidc (AZURE_FEDERATED_TOKEN_FILE is set)')
    await expectAlpineIn('cli/alpine')
    expect(run.stderr).toMatch(/^\s*debug: /m)
    expect(`${run.stdout}${run.stderr}`).not.toContain(token)
  })

  test('--debug prints debug lines and not one secret: client secret, registry password, tokens sent', async () => {
    const sent = testbed.requests.length
    const run = await runCli(
      [
        '--registry',
        'prodacr',
        '--source',
        'docker.io/contosobot/private-app:1.0',
        '--image',
        'cli/debug:1.0',
        '--username',
        DOCKER_HUB_USER.username,
        '--password-env',
        'HUB_TOKEN',
        '--debug',
        '--json'
      ],
      { env: { ...secretEnv(), HUB_TOKEN: DOCKER_HUB_USER.password, AZURE_LOG_LEVEL: 'verbose' } }
    )
    expectExit(run, 0)
    expect(run.stderr.split('\n').filter((line) => line.trim().startsWith('debug: ')).length).toBeGreaterThan(
      10
    )
    const printed = `${run.stdout}\n${run.stderr}`
    expect(printed).toContain('***')
    // Every bearer token and assertion that went over the wire in this run, and the two secrets given.
    const tokens = testbed.requests
      .slice(sent)
      .map((request) => /^Bearer (.+)$/.exec(String(request.headers?.authorization ?? ''))?.[1])
      .filter((token): token is string => Boolean(token))
    expect(tokens.length).toBeGreaterThan(0)
    for (const secret of [APPS.github.clientSecret, DOCKER_HUB_USER.password, ...tokens]) {
      expect(printed).not.toContain(secret)
    }
  })

  test('a laptop: with no AZURE_* secret set, the az login session signs in; logged out, one line and exit 2', async () => {
    const session = {
      tenantId: TENANT_A,
      clientId: APPS.github.appId,
      clientSecret: APPS.github.clientSecret,
      subscriptionId: SUB_PROD
    }
    const laptop = async (az: FakeAz, repo: string): Promise<CliRun> => {
      try {
        return await runCli([...importAlpine(repo), '--subscription-id', SUB_PROD], {
          env: { ...testbed.env, PATH: `${az.dir}${delimiter}${process.env.PATH ?? '/usr/bin:/bin'}` }
        })
      } finally {
        az.remove()
      }
    }
    const signedIn = await laptop(installFakeAz(session), 'cli/laptop')
    expectExit(signedIn, 0)
    expect(signedIn.stderr).toMatch(/^auth: auto picked azure-cli \(none of AZURE_CLIENT_SECRET, /m)
    await expectAlpineIn('cli/laptop')

    const loggedOut = await laptop(installFakeAz(undefined), 'cli/logged-out')
    expectExit(loggedOut, 2)
    const errors = loggedOut.stderr.split('\n').filter((line) => line.startsWith('error: '))
    expect(errors).toEqual([
      expect.stringMatching(/^error: Sign-in with Azure CLI session failed: Please run 'az login'/)
    ])
  })

  test('--auth managed-identity with AZURE_CLIENT_ID: a user-assigned identity (a Jenkins agent on an Azure VM)', async () => {
    const run = await runCli([...importAlpine('cli/msi'), '--auth', 'managed-identity'], {
      env: {
        ...testbed.env,
        ...testbed.managedIdentityEnv,
        AZURE_CLIENT_ID: MANAGED_IDENTITY.clientId,
        AZURE_SUBSCRIPTION_ID: SUB_PROD
      }
    })
    expectExit(run, 0)
    expect(run.stderr).toMatch(/^auth: managed-identity as requested/m)
    await expectAlpineIn('cli/msi')
  })

  test('an import that fails is exit 1, with the results JSON still on stdout and the failure on stderr', async () => {
    const run = await runCli(
      [
        '--registry',
        'prodacr',
        '--source',
        'docker.io/library/busybox:1.36 => cli/ok:1',
        '--source',
        'docker.io/library/no-such-image:1 => cli/missing:1',
        '--json'
      ],
      { env: secretEnv() }
    )
    expectExit(run, 1)
    expect(resultsOf(run).map((r) => [r.source, r.status])).toEqual([
      ['docker.io/library/busybox:1.36', 'imported'],
      ['docker.io/library/no-such-image:1', 'failed']
    ])
    expect(run.stderr).toMatch(/^error: docker\.io\/library\/no-such-image:1: /m)
    expect(showsStackTrace(run)).toBe(false)
  })

  test('Ctrl-C while an import runs: the step stops waiting for it and exits 130', async () => {
    testbed.faults.stallImports(true)
    try {
      const posts = testbed.counters().importImagePosts
      const started = startCli([...importAlpine('cli/stalled'), '--json'], { env: secretEnv() })
      await until(() => testbed.counters().importImagePosts > posts)
      started.child.kill('SIGINT')
      const run = await started.ended
      expectExit(run, 130)
      expect(run.stderr).toMatch(/^error: .*(Interrupted|cancelled)/m)
      expect(showsStackTrace(run)).toBe(false)
    } finally {
      testbed.faults.stallImports(false)
    }
  })
})
