// Bundle-level end-to-end in the sovereign clouds: with `environment: AzureUSGovernment` (or AzureChinaCloud)
// the step signs in at that cloud's Entra ID with GitHub OIDC and drives that cloud's ARM. The test bed serves
// every cloud's Entra and ARM hosts over one world, whose registries all keep their .azurecr.io login servers,
// so the target is given by name (ARM tells the login server) and the source is Docker Hub.
import { describe, expect, test } from '@jest/globals'
import { useTestbed } from '../testbed/use-testbed.js'
import { FEDERATED_AUDIENCE, TENANT_A } from '../testbed/world.js'
import { expectSuccess, runWithOidc, sourceDigest } from './e2e-steps.js'

const testbed = useTestbed()

const SOVEREIGN_CLOUDS = [
  {
    environment: 'AzureUSGovernment',
    loginHosts: ['login.microsoftonline.us'],
    armHost: 'management.usgovcloudapi.net'
  },
  {
    environment: 'AzureChinaCloud',
    // MSAL knows login.chinacloudapi.cn as an alias and calls the canonical login.partner.microsoftonline.cn.
    loginHosts: ['login.chinacloudapi.cn', 'login.partner.microsoftonline.cn'],
    armHost: 'management.chinacloudapi.cn'
  }
]

describe.each(SOVEREIGN_CLOUDS)('environment: $environment', ({ environment, loginHosts, armHost }) => {
  test('imports with GitHub OIDC, signing in and calling ARM in that cloud only', async () => {
    const repo = `clouds/${environment.toLowerCase()}`
    const tokenRequests = () =>
      loginHosts
        .map((host) => testbed.count({ host, method: 'POST', path: `/${TENANT_A}/oauth2/v2.0/token` }))
        .reduce((a, b) => a + b, 0)
    const before = {
      sovereignArm: testbed.count({ host: armHost }),
      sovereignToken: tokenRequests(),
      publicArm: testbed.count({ host: 'management.azure.com' }),
      publicLogin: testbed.count({ host: 'login.microsoftonline.com' })
    }
    const run = await runWithOidc(testbed, {
      environment,
      // The app's federated credential (world.ts) has the public cloud's audience; without this input the
      // step would ask GitHub for the cloud's own (api://AzureADTokenExchangeUSGov / ...China) and not match.
      audience: FEDERATED_AUDIENCE,
      source: 'docker.io/library/alpine:3.20',
      image: `${repo}:3.20`
    })
    expectSuccess(run)
    // Verified in the target (the data-plane exchange takes this cloud's ARM token), not the source's digest.
    expect(run.stdout).not.toContain('::warning::')
    const digest = await sourceDigest(testbed, 'docker.io', 'library/alpine', '3.20')
    expect(run.outputs.digest).toBe(digest)
    expect(await testbed.backend('prodacr.azurecr.io').headManifest(repo, '3.20')).toBe(digest)

    expect(
      testbed.count({ host: armHost, method: 'POST', path: /\/registries\/prodacr\/importImage\?/ })
    ).toBe(1)
    expect(testbed.count({ host: armHost })).toBeGreaterThan(before.sovereignArm + 1)
    expect(tokenRequests()).toBeGreaterThan(before.sovereignToken)
    // Nothing went to the public cloud (runs in this file are sequential, so the counts are this run's).
    expect(testbed.count({ host: 'management.azure.com' })).toBe(before.publicArm)
    expect(testbed.count({ host: 'login.microsoftonline.com' })).toBe(before.publicLogin)
  })
})
