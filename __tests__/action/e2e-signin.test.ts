// Bundle-level end-to-end: every way the action signs in to Entra ID (OIDC for an environment, client secret,
// client certificate, azure/login creds JSON, managed identity) and the sign-in failures users meet most:
// a federated subject mismatch, a missing `id-token: write`, and an identity without a role (403).
import { describe, expect, test } from '@jest/globals'
import { useTestbed } from '../testbed/use-testbed.js'
import {
  APPS,
  FEDERATED_AUDIENCE,
  GITHUB_ISSUER,
  MANAGED_IDENTITY,
  REGISTRIES,
  SUB_PROD,
  TENANT_A,
  resourceIdOf
} from '../testbed/world.js'
import {
  expectOneLineFailure,
  expectSuccess,
  runWithOidc,
  runWithTestbed,
  sourceDigest
} from './e2e-steps.js'
import type { ActionRun } from './run-action.js'

const testbed = useTestbed()

const importInto = (repo: string) => ({
  registry: 'prodacr',
  'subscription-id': SUB_PROD,
  source: 'docker.io/library/alpine:3.20',
  image: `${repo}:3.20`
})

/** The one line the step logged about the sign-in it picked. */
const pickedLine = (run: ActionRun): string | undefined =>
  run.stdout.split('\n').find((line) => line.startsWith('auth: '))

async function expectAlpineImported(run: ActionRun, repo: string): Promise<void> {
  expectSuccess(run)
  expect(run.outputs.digest).toBe(await sourceDigest(testbed, 'docker.io', 'library/alpine', '3.20'))
  expect(await testbed.backend('prodacr.azurecr.io').headManifest(repo, '3.20')).toBe(run.outputs.digest)
}

describe('sign-in', () => {
  test.concurrent(
    'GitHub OIDC for a job in the production environment (a federated subject of the app)',
    async () => {
      const run = await runWithOidc(testbed, importInto('signin/oidc-env'), {
        subject: 'repo:contoso/app:environment:production'
      })
      await expectAlpineImported(run, 'signin/oidc-env')
      expect(pickedLine(run)).toMatch(/^auth: auto picked oidc/)
    }
  )

  test.concurrent('client secret', async () => {
    const run = await runWithTestbed(testbed, {
      inputs: {
        ...importInto('signin/secret'),
        'client-id': APPS.github.appId,
        'tenant-id': TENANT_A,
        'client-secret': APPS.github.clientSecret
      }
    })
    await expectAlpineImported(run, 'signin/secret')
    expect(pickedLine(run)).toMatch(/^auth: auto picked client-secret/)
  })

  test.concurrent('client certificate (PEM with the private key)', async () => {
    const run = await runWithTestbed(testbed, {
      inputs: {
        ...importInto('signin/certificate'),
        'client-id': APPS.github.appId,
        'tenant-id': TENANT_A,
        'client-certificate': testbed.appCertificatePem.github
      }
    })
    await expectAlpineImported(run, 'signin/certificate')
    expect(pickedLine(run)).toMatch(/^auth: auto picked client-certificate/)
  })

  test.concurrent("azure/login's creds JSON (subscription from it too)", async () => {
    const creds = {
      clientId: APPS.github.appId,
      clientSecret: APPS.github.clientSecret,
      tenantId: TENANT_A,
      subscriptionId: SUB_PROD
    }
    const { 'subscription-id': _unused, ...inputs } = importInto('signin/creds')
    const run = await runWithTestbed(testbed, { inputs: { ...inputs, creds: JSON.stringify(creds) } })
    await expectAlpineImported(run, 'signin/creds')
  })

  test.concurrent('user-assigned managed identity (self-hosted runner on an Azure VM)', async () => {
    const run = await runWithTestbed(testbed, {
      inputs: {
        ...importInto('signin/managed-identity'),
        auth: 'managed-identity',
        'client-id': MANAGED_IDENTITY.clientId
      },
      env: testbed.managedIdentityEnv
    })
    await expectAlpineImported(run, 'signin/managed-identity')
    expect(pickedLine(run)).toMatch(/^auth: managed-identity as requested/)
  })

  test.concurrent(
    'a federated subject mismatch shows iss, sub and aud of the token, never the token',
    async () => {
      const subject = 'repo:contoso/app:pull_request'
      const run = await runWithOidc(testbed, importInto('signin/mismatch'), { subject })
      const line = expectOneLineFailure(run)
      expect(line).toMatch(/AADSTS700213/)
      expect(line).toContain(`iss '${GITHUB_ISSUER}'`)
      expect(line).toContain(`sub '${subject}'`)
      expect(line).toContain(`aud '${FEDERATED_AUDIENCE}'`)
      const presented = federatedAssertionsPresented().filter((jwt) => claimsOf(jwt).sub === subject)
      expect(presented.length).toBeGreaterThan(0)
      for (const token of presented) {
        expect(
          run.stdout
            .split('\n')
            .filter((l) => !l.startsWith('::add-mask::'))
            .join('\n')
        ).not.toContain(token)
        expect(run.stderr).not.toContain(token)
      }
    }
  )

  test.concurrent('without `permissions: id-token: write` the step says so', async () => {
    const run = await runWithTestbed(testbed, {
      inputs: { ...importInto('signin/no-permission'), 'client-id': APPS.github.appId, 'tenant-id': TENANT_A }
    })
    expect(expectOneLineFailure(run)).toBe(
      'GitHub OIDC is not available to this job. Add `permissions: id-token: write` to the job (or the workflow).'
    )
  })

  test.concurrent(
    'an identity without a role on the target gets a 403 naming the role to grant',
    async () => {
      const run = await runWithTestbed(testbed, {
        inputs: {
          ...importInto('signin/no-roles'),
          registry: resourceIdOf(REGISTRIES.prod),
          'client-id': APPS.noRoles.appId,
          'tenant-id': TENANT_A,
          'client-secret': APPS.noRoles.clientSecret
        }
      })
      expect(expectOneLineFailure(run)).toMatch(/Container Registry Data Importer and Data Reader/)
      expect(
        await testbed.backend('prodacr.azurecr.io').headManifest('signin/no-roles', '3.20')
      ).toBeUndefined()
    }
  )
})

/** Every client assertion sent to Entra ID's token endpoint (from the test bed's request log). */
function federatedAssertionsPresented(): string[] {
  return testbed.requests
    .filter((r) => r.method === 'POST' && r.body.includes('client_assertion='))
    .map((r) => new URLSearchParams(r.body).get('client_assertion') ?? '')
    .filter(Boolean)
}

function claimsOf(jwt: string): { sub?: string } {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')) as { sub?: string }
}
