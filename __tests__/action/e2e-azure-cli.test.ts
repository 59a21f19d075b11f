// Bundle-level end-to-end of `auth: azure-cli`: the step signs in with the job's Azure CLI session. The real
// Azure CLI cannot be installed here, so a documented stand-in `az` (fake-az.ts) is first on PATH; it hands
// out real tokens of the test bed's Entra ID, so everything after `az account get-access-token` is real: ARM
// lookup, importImage, polling and the digest read, all as the "az session" identity.
import { afterEach, describe, expect, test } from '@jest/globals'
import { useTestbed } from '../testbed/use-testbed.js'
import { APPS, SUB_PROD, TENANT_A } from '../testbed/world.js'
import { expectOneLineFailure, expectSuccess, runWithTestbed, sourceDigest } from './e2e-steps.js'
import { installFakeAz, type FakeAz } from './fake-az.js'

const testbed = useTestbed()

let az: FakeAz | undefined
afterEach(() => az?.remove())

const SESSION = {
  tenantId: TENANT_A,
  clientId: APPS.github.appId,
  clientSecret: APPS.github.clientSecret,
  subscriptionId: SUB_PROD
}

/** Runs the step with `auth: azure-cli` and `az` resolving to the stand-in. */
function runWithAzureCli(fakeAz: FakeAz, repo: string) {
  return runWithTestbed(testbed, {
    inputs: {
      auth: 'azure-cli',
      registry: 'prodacr',
      'subscription-id': SUB_PROD,
      source: 'docker.io/library/alpine:3.20',
      image: `${repo}:3.20`
    },
    env: { PATH: `${fakeAz.dir}:${process.env.PATH ?? '/usr/bin:/bin'}` }
  })
}

describe('auth: azure-cli', () => {
  test('imports signed in as the az session and outputs the digest', async () => {
    az = installFakeAz(SESSION)
    const tokenRequestsBefore = testbed.count({
      host: 'login.microsoftonline.com',
      method: 'POST',
      path: `/${TENANT_A}/oauth2/v2.0/token`
    })
    const run = await runWithAzureCli(az, 'azcli/alpine')
    expectSuccess(run)
    const digest = await sourceDigest(testbed, 'docker.io', 'library/alpine', '3.20')
    expect(run.outputs.digest).toBe(digest)
    expect(await testbed.backend('prodacr.azurecr.io').headManifest('azcli/alpine', '3.20')).toBe(digest)
    // The credential ran exactly the documented command for ARM, and each call got its token from Entra ID.
    const calls = az.calls()
    expect(calls).toContainEqual([
      'account',
      'get-access-token',
      '--output',
      'json',
      '--resource',
      'https://management.azure.com'
    ])
    expect(
      testbed.count({
        host: 'login.microsoftonline.com',
        method: 'POST',
        path: `/${TENANT_A}/oauth2/v2.0/token`
      })
    ).toBe(tokenRequestsBefore + calls.length)
    expect(run.stdout).toMatch(/^auth: azure-cli as requested/m)
  })

  test('without `az login` the step fails with one line', async () => {
    az = installFakeAz(undefined)
    const run = await runWithAzureCli(az, 'azcli/logged-out')
    const line = expectOneLineFailure(run)
    expect(line).toMatch(/^Sign-in with Azure CLI session failed: Please run 'az login'/)
    expect(line).toMatch(/Sign in with az login \(or azure\/login\) in an earlier step/)
    expect(
      await testbed.backend('prodacr.azurecr.io').headManifest('azcli/logged-out', '3.20')
    ).toBeUndefined()
  })
})
