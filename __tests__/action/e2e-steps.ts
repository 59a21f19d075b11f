// What the e2e tests share: a workflow step signed in with GitHub OIDC (the common case) against the test bed,
// and the checks every test makes on what landed in the target registry.
import { expect } from '@jest/globals'
import type { Testbed } from '../testbed/types.js'
import { APPS, REGISTRIES, SUB_PROD, TENANT_A, loginServerOf } from '../testbed/world.js'
import { runAction, showsStackTrace, type ActionRun, type RunActionOptions } from './run-action.js'

export const MAIN_BRANCH_SUBJECT = 'repo:contoso/app:ref:refs/heads/main'
export const PROD = loginServerOf(REGISTRIES.prod)

/** The sign-in inputs of a job federated with the GitHub app (OIDC), importing into prodacr. */
export const OIDC_INPUTS = {
  registry: 'prodacr',
  'client-id': APPS.github.appId,
  'tenant-id': TENANT_A,
  'subscription-id': SUB_PROD
}

/** Runs the bundle with GitHub OIDC for `subject`, the test bed's proxy and CA, and `inputs` on top. */
export function runWithOidc(
  testbed: Testbed,
  inputs: Record<string, string>,
  options: Omit<RunActionOptions, 'inputs'> & { subject?: string } = {}
): Promise<ActionRun> {
  const { subject, env, ...rest } = options
  return runAction({
    ...rest,
    inputs: { ...OIDC_INPUTS, ...inputs },
    env: { ...testbed.env, ...testbed.githubOidc(subject ?? MAIN_BRANCH_SUBJECT), ...env }
  })
}

/** Runs the bundle with only the test bed's network environment (the caller brings every sign-in input). */
export function runWithTestbed(testbed: Testbed, options: RunActionOptions): Promise<ActionRun> {
  return runAction({ ...options, env: { ...testbed.env, ...options.env } })
}

/** Makes a failed expectation show the step's log, which is what explains it. */
export function expectSuccess(run: ActionRun): void {
  if (run.exitCode !== 0)
    throw new Error(`the step failed (exit ${run.exitCode}):\n${run.stdout}\n${run.stderr}`)
}

/** A user error: exit code 1, exactly one `::error::` line, no stack trace. Returns that line. */
export function expectOneLineFailure(run: ActionRun): string {
  if (run.exitCode !== 1 || run.errors.length !== 1) {
    throw new Error(
      `expected one error line and exit 1, got exit ${run.exitCode}:\n${run.stdout}\n${run.stderr}`
    )
  }
  expect(run.errors[0]).not.toContain('\n')
  expect(showsStackTrace(run)).toBe(false)
  return run.errors[0]
}

/** The digest the source registry serves for `repo:reference`. */
export async function sourceDigest(
  testbed: Testbed,
  host: string,
  repo: string,
  reference: string
): Promise<string> {
  const digest = await testbed.backend(host).headManifest(repo, reference)
  if (!digest) throw new Error(`fixture ${host}/${repo}:${reference} is missing`)
  return digest
}

/** The importImage body ARM accepted for a target tag. */
export function importBodyFor(testbed: Testbed, targetTag: string): Record<string, unknown> | undefined {
  return testbed.imports
    .map((entry) => entry.body as { targetTags?: string[]; untaggedTargetRepositories?: string[] })
    .find(
      (body) => body.targetTags?.includes(targetTag) || body.untaggedTargetRepositories?.includes(targetTag)
    ) as Record<string, unknown> | undefined
}

/** Checks that the target manifest (and, for an index, every child and every blob) landed in prodacr. */
export async function expectCopiedToProd(
  testbed: Testbed,
  repo: string,
  reference: string,
  digest: string
): Promise<void> {
  const prod = testbed.backend(PROD)
  const manifest = await prod.getManifest(repo, reference)
  expect(manifest?.digest).toBe(digest)
  const parsed = JSON.parse(manifest!.body.toString('utf8')) as ManifestJson
  for (const child of parsed.manifests ?? []) {
    const childManifest = await prod.getManifest(repo, child.digest)
    expect(childManifest?.digest).toBe(child.digest)
    await expectBlobs(testbed, repo, JSON.parse(childManifest!.body.toString('utf8')) as ManifestJson)
  }
  await expectBlobs(testbed, repo, parsed)
}

interface ManifestJson {
  manifests?: { digest: string; platform?: { os: string; architecture: string; variant?: string } }[]
  config?: { digest: string; mediaType: string }
  layers?: { digest: string }[]
}

async function expectBlobs(testbed: Testbed, repo: string, manifest: ManifestJson): Promise<void> {
  const prod = testbed.backend(PROD)
  for (const blob of [manifest.config, ...(manifest.layers ?? [])]) {
    if (blob) expect(await prod.hasBlob(repo, blob.digest)).toBe(true)
  }
}

/** The parsed `results` output. */
export function resultsOf(
  run: ActionRun
): { source: string; targets: string[]; digest: string; platforms: string[]; status: string }[] {
  return JSON.parse(run.outputs.results ?? '[]') as ReturnType<typeof resultsOf>
}

/**
 * Every credential the bundle sent on the wire, from the test bed's request log: bearer tokens, basic credentials
 * (encoded, and the password inside), client assertions (the ID tokens), and tokens in form bodies.
 */
export function secretsSeenBy(requests: Testbed['requests']): string[] {
  const secrets = new Set<string>()
  const add = (value: string | null | undefined): void => {
    if (value && value.length > 20) secrets.add(value)
  }
  for (const request of requests) {
    const authorization = String(request.headers.authorization ?? '')
    add(/^Bearer (.+)$/.exec(authorization)?.[1])
    const basic = /^Basic (.+)$/.exec(authorization)?.[1]
    if (basic) {
      secrets.add(basic)
      add(Buffer.from(basic, 'base64').toString('utf8').split(':').slice(1).join(':'))
    }
    const form = new URLSearchParams(request.body)
    for (const field of ['client_assertion', 'client_secret', 'access_token', 'refresh_token', 'password']) {
      add(form.get(field))
    }
  }
  return [...secrets]
}
