// What the action's own e2e tests share (the scenarios both hosts run are in ../e2e): a workflow step signed in
// with GitHub OIDC (the common case) against the test bed, and the checks those tests make on what landed in the
// target registry.
import { expect } from '@jest/globals'
import type { Testbed } from '../testbed/types.js'
import { MAIN_BRANCH_SUBJECT, OIDC_INPUTS } from '../e2e/action-host.js'
import { PROD } from '../e2e/testbed-reads.js'
import { runAction, showsStackTrace, type ActionRun, type RunActionOptions } from './run-action.js'

export { MAIN_BRANCH_SUBJECT, OIDC_INPUTS } from '../e2e/action-host.js'
export { resultsOf } from '../e2e/expect-run.js'
export { PROD, importBodyFor, sourceDigest } from '../e2e/testbed-reads.js'

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
