// Entra ID, the OIDC issuers and managed identity of the test bed, driven by the real @azure/identity
// credentials (and @actions/core for the GitHub ID token) in a child process that trusts the test bed's CA.
import { describe, expect, it } from '@jest/globals'
import { createHash, createPrivateKey, createSign, randomUUID, X509Certificate } from 'node:crypto'
import { useSdkClient, useTestbed } from './use-testbed.js'
import { type CredentialSpec, type HttpAnswer } from './azure/sdk-harness/sdkClient.js'
import { decodeJwt } from './azure/jwt.js'
import { ADO_ISSUER, APPS, GITHUB_ISSUER, MANAGED_IDENTITY, TENANT_A, TENANT_B } from './world.js'

const ARM_SCOPE = 'https://management.azure.com/.default'
const ACR_SCOPE = 'https://containerregistry.azure.net/.default'
const MAIN_SUBJECT = 'repo:contoso/app:ref:refs/heads/main'

const testbed = useTestbed()
const sdk = useSdkClient(testbed)

/** Gets a token and returns its claims, failing the test with the SDK's error when there is none. */
async function claimsOf(credential: CredentialSpec, scope: string, env: Record<string, string> = {}) {
  const answer = await sdk.run<{ token: string }>(credential, { kind: 'getToken', scope }, env)
  if (!answer.ok) throw new Error(`getToken failed: ${answer.error.message}`)
  return decodeJwt(answer.value.token)!.payload
}

async function errorOf(credential: CredentialSpec, scope = ARM_SCOPE, env: Record<string, string> = {}) {
  const answer = await sdk.run(credential, { kind: 'getToken', scope }, env)
  if (answer.ok) throw new Error('getToken succeeded but should have failed')
  return answer.error
}

/** A certificate client assertion as MSAL builds it, with a chosen lifetime. */
function certificateAssertion(pem: string, clientId: string, lifetime: { nbf: number; exp: number }): string {
  const certificate = new X509Certificate(pem)
  const header = {
    alg: 'RS256',
    typ: 'JWT',
    x5t: createHash('sha1').update(certificate.raw).digest('base64url')
  }
  const payload = {
    aud: `https://login.microsoftonline.com/${TENANT_A}/oauth2/v2.0/token`,
    iss: clientId,
    sub: clientId,
    jti: randomUUID(),
    ...lifetime
  }
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`
  const signature = createSign('RSA-SHA256').update(input).sign(createPrivateKey(pem)).toString('base64url')
  return `${input}.${signature}`
}

describe('client secret', () => {
  it('issues an ARM token carrying the app identity', async () => {
    const claims = await claimsOf(
      { kind: 'secret', tenantId: TENANT_A, clientId: APPS.github.appId, secret: APPS.github.clientSecret },
      ARM_SCOPE
    )
    expect(claims).toMatchObject({
      iss: `https://sts.windows.net/${TENANT_A}/`,
      aud: 'https://management.azure.com',
      oid: APPS.github.objectId,
      appid: APPS.github.appId,
      tid: TENANT_A
    })
    expect(Number(claims.exp) - Date.now() / 1000).toBeGreaterThan(3500)
  })

  it('issues an ACR token for the containerregistry audience', async () => {
    const claims = await claimsOf(
      { kind: 'secret', tenantId: TENANT_A, clientId: APPS.ado.appId, secret: APPS.ado.clientSecret },
      ACR_SCOPE
    )
    expect(claims.aud).toBe('https://containerregistry.azure.net')
  })

  it('refuses a wrong secret with AADSTS7000215', async () => {
    const error = await errorOf({
      kind: 'secret',
      tenantId: TENANT_A,
      clientId: APPS.github.appId,
      secret: 'wrong'
    })
    expect(error.message).toContain('AADSTS7000215')
    expect(error.message).toContain(APPS.github.appId)
  })

  it('refuses an app of another tenant with AADSTS700016', async () => {
    const error = await errorOf({
      kind: 'secret',
      tenantId: TENANT_B,
      clientId: APPS.github.appId,
      secret: APPS.github.clientSecret
    })
    expect(error.message).toContain('AADSTS700016')
    expect(error.message).toContain(`was not found in the directory '${TENANT_B}'`)
  })

  it('refuses an unknown resource with AADSTS500011', async () => {
    const error = await errorOf(
      { kind: 'secret', tenantId: TENANT_A, clientId: APPS.github.appId, secret: APPS.github.clientSecret },
      'https://vault.azure.net/.default'
    )
    expect(error.message).toContain('AADSTS500011')
  })
})

describe('client certificate', () => {
  it('signs in with the PEM the test bed generated for the app', async () => {
    const pem = testbed.appCertificatePem.github
    expect(pem).toContain('-----BEGIN CERTIFICATE-----')
    expect(pem).toContain('-----BEGIN PRIVATE KEY-----')
    const claims = await claimsOf(
      { kind: 'certificate', tenantId: TENANT_A, clientId: APPS.github.appId, pem },
      ARM_SCOPE
    )
    expect(claims).toMatchObject({ oid: APPS.github.objectId, appidacr: '2' })
  })

  it("refuses another app's certificate with AADSTS700027", async () => {
    const error = await errorOf({
      kind: 'certificate',
      tenantId: TENANT_A,
      clientId: APPS.github.appId,
      pem: testbed.appCertificatePem.ado
    })
    expect(error.message).toContain('AADSTS700027')
  })

  it('refuses an expired assertion with AADSTS700024', async () => {
    const now = Math.floor(Date.now() / 1000)
    const assertion = certificateAssertion(testbed.appCertificatePem.github, APPS.github.appId, {
      nbf: now - 7200,
      exp: now - 3600
    })
    const error = await errorOf({
      kind: 'assertion',
      tenantId: TENANT_A,
      clientId: APPS.github.appId,
      assertion
    })
    expect(error.message).toContain('AADSTS700024')
    expect(error.message).toContain('Client assertion is not within its valid time range')
  })
})

describe('GitHub Actions OIDC', () => {
  const github: CredentialSpec = { kind: 'githubOidc', tenantId: TENANT_A, clientId: APPS.github.appId }

  it('exchanges the job ID token that @actions/core fetches', async () => {
    const claims = await claimsOf(github, ARM_SCOPE, testbed.githubOidc(MAIN_SUBJECT))
    expect(claims).toMatchObject({ oid: APPS.github.objectId, appidacr: '2' })
  })

  it('mints ID tokens with the GitHub claims, the subject and the requested audience', async () => {
    const env = testbed.githubOidc('repo:contoso/app:environment:production')
    const answer = await sdk.run<string>(
      undefined,
      { kind: 'githubIdToken', audience: 'api://AzureADTokenExchange' },
      env
    )
    if (!answer.ok) throw new Error(answer.error.message)
    const idToken = decodeJwt(answer.value)!.payload
    expect(idToken).toMatchObject({
      iss: GITHUB_ISSUER,
      sub: 'repo:contoso/app:environment:production',
      aud: 'api://AzureADTokenExchange',
      repository: 'contoso/app',
      environment: 'production'
    })
    expect(Number(idToken.exp) - Number(idToken.iat)).toBe(300)
  })

  it('refuses a subject without a federated credential with AADSTS700213', async () => {
    const error = await errorOf(
      github,
      ARM_SCOPE,
      testbed.githubOidc('repo:contoso/app:ref:refs/heads/feature')
    )
    expect(error.message).toContain('AADSTS700213')
    expect(error.message).toContain("assertion subject 'repo:contoso/app:ref:refs/heads/feature'")
  })

  it('refuses a token for another audience with AADSTS700212', async () => {
    const error = await errorOf(
      { ...github, audience: 'api://something-else' },
      ARM_SCOPE,
      testbed.githubOidc(MAIN_SUBJECT)
    )
    expect(error.message).toContain('AADSTS700212')
  })

  it('refuses an issuer the app does not trust with AADSTS700211', async () => {
    const error = await errorOf(
      { kind: 'githubOidc', tenantId: TENANT_A, clientId: APPS.ado.appId },
      ARM_SCOPE,
      testbed.githubOidc('sc://contoso/app/prod-connection')
    )
    expect(error.message).toContain('AADSTS700211')
  })

  it('refuses a wrong request token with 401', async () => {
    const env = { ...testbed.githubOidc(MAIN_SUBJECT), ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'not-the-token' }
    const error = await errorOf(github, ARM_SCOPE, env)
    expect(error.message).toMatch(/401/)
  })
})

describe('Azure DevOps workload identity federation', () => {
  const CONNECTION_ID = '5b3a1c2d-0000-4000-8000-00000000c0de'

  it('exchanges the OIDC token of the service connection (AzurePipelinesCredential)', async () => {
    const { variables, systemAccessToken } = testbed.adoOidc(
      CONNECTION_ID,
      'sc://contoso/app/prod-connection'
    )
    const claims = await claimsOf(
      {
        kind: 'pipelines',
        tenantId: TENANT_A,
        clientId: APPS.ado.appId,
        serviceConnectionId: CONNECTION_ID,
        systemAccessToken
      },
      ARM_SCOPE,
      variables
    )
    expect(claims).toMatchObject({ oid: APPS.ado.objectId, tid: TENANT_A })
  })

  it('refuses a connection whose subject is not federated with AADSTS700213', async () => {
    const { variables, systemAccessToken } = testbed.adoOidc(
      CONNECTION_ID,
      'sc://contoso/app/other-connection'
    )
    const error = await errorOf(
      {
        kind: 'pipelines',
        tenantId: TENANT_A,
        clientId: APPS.ado.appId,
        serviceConnectionId: CONNECTION_ID,
        systemAccessToken
      },
      ARM_SCOPE,
      variables
    )
    expect(error.message).toContain('AADSTS700213')
  })

  it('answers an unknown service connection and a wrong access token with errors', async () => {
    const { variables, systemAccessToken } = testbed.adoOidc(
      CONNECTION_ID,
      'sc://contoso/app/prod-connection'
    )
    const unknown = await errorOf(
      {
        kind: 'pipelines',
        tenantId: TENANT_A,
        clientId: APPS.ado.appId,
        serviceConnectionId: randomUUID(),
        systemAccessToken
      },
      ARM_SCOPE,
      variables
    )
    expect(unknown.message).toMatch(/404/)
    const unauthorized = await errorOf(
      {
        kind: 'pipelines',
        tenantId: TENANT_A,
        clientId: APPS.ado.appId,
        serviceConnectionId: CONNECTION_ID,
        systemAccessToken: 'nope'
      },
      ARM_SCOPE,
      variables
    )
    expect(unauthorized.message).toMatch(/401/)
  })
})

describe('managed identity', () => {
  it('issues tokens for the runner VM identity, with or without its client ID', async () => {
    for (const credential of [
      { kind: 'managed' },
      { kind: 'managed', clientId: MANAGED_IDENTITY.clientId }
    ] as const) {
      const claims = await claimsOf(credential, ARM_SCOPE, testbed.managedIdentityEnv)
      expect(claims).toMatchObject({
        oid: MANAGED_IDENTITY.objectId,
        appid: MANAGED_IDENTITY.clientId,
        tid: TENANT_A
      })
    }
  })
})

describe('sovereign clouds', () => {
  it('serves Entra on login.microsoftonline.us for the US Government ARM audience', async () => {
    const claims = await claimsOf(
      {
        kind: 'secret',
        tenantId: TENANT_A,
        clientId: APPS.github.appId,
        secret: APPS.github.clientSecret,
        authorityHost: 'https://login.microsoftonline.us'
      },
      'https://management.usgovcloudapi.net/.default'
    )
    expect(claims).toMatchObject({
      aud: 'https://management.usgovcloudapi.net',
      iss: `https://login.microsoftonline.us/${TENANT_A}/`
    })
  })

  it('serves Entra on login.chinacloudapi.cn, whose metadata MSAL fetches from the network', async () => {
    const claims = await claimsOf(
      {
        kind: 'secret',
        tenantId: TENANT_A,
        clientId: APPS.github.appId,
        secret: APPS.github.clientSecret,
        authorityHost: 'https://login.chinacloudapi.cn'
      },
      'https://management.chinacloudapi.cn//.default'
    )
    expect(claims).toMatchObject({
      aud: 'https://management.chinacloudapi.cn/',
      iss: `https://sts.chinacloudapi.cn/${TENANT_A}/`
    })
  })
})

describe('metadata', () => {
  const get = async (url: string) => {
    const answer = await sdk.run<HttpAnswer>(undefined, { kind: 'http', url })
    if (!answer.ok) throw new Error(answer.error.message)
    return { status: answer.value.status, json: JSON.parse(answer.value.body) as Record<string, unknown> }
  }

  it('describes a tenant in its OpenID configuration', async () => {
    const { status, json } = await get(
      `https://login.microsoftonline.com/${TENANT_A}/v2.0/.well-known/openid-configuration`
    )
    expect(status).toBe(200)
    expect(json).toMatchObject({
      issuer: `https://login.microsoftonline.com/${TENANT_A}/v2.0`,
      token_endpoint: `https://login.microsoftonline.com/${TENANT_A}/oauth2/v2.0/token`,
      authorization_endpoint: `https://login.microsoftonline.com/${TENANT_A}/oauth2/v2.0/authorize`,
      jwks_uri: `https://login.microsoftonline.com/${TENANT_A}/discovery/v2.0/keys`
    })
    const unknown = await get(
      'https://login.microsoftonline.com/00000000-0000-4000-8000-000000000000/v2.0/.well-known/openid-configuration'
    )
    expect(unknown.status).toBe(400)
    expect(unknown.json.error_codes).toEqual([90002])
  })

  it('answers MSAL instance discovery', async () => {
    const authorize = encodeURIComponent(
      `https://login.microsoftonline.com/${TENANT_A}/oauth2/v2.0/authorize`
    )
    const { json } = await get(
      `https://login.microsoftonline.com/common/discovery/instance?api-version=1.1&authorization_endpoint=${authorize}`
    )
    expect(json.tenant_discovery_endpoint).toBe(
      `https://login.microsoftonline.com/${TENANT_A}/v2.0/.well-known/openid-configuration`
    )
    expect(json.metadata).toEqual(
      expect.arrayContaining([expect.objectContaining({ aliases: ['login.microsoftonline.com'] })])
    )
  })

  it("publishes the OIDC issuers' discovery documents and keys", async () => {
    const github = await get(`${GITHUB_ISSUER}/.well-known/openid-configuration`)
    expect(github.json).toMatchObject({
      issuer: GITHUB_ISSUER,
      jwks_uri: `${GITHUB_ISSUER}/.well-known/jwks`
    })
    const keys = await get(`${GITHUB_ISSUER}/.well-known/jwks`)
    expect((keys.json.keys as unknown[]).length).toBe(1)
    const ado = await get(`${ADO_ISSUER}/.well-known/openid-configuration`)
    expect(ado.json.issuer).toBe(ADO_ISSUER)
  })
})
