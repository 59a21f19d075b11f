// A certificate Node does not trust (a TLS-inspecting proxy, a missing CA) ends with its cause and its fix, not
// with "check the sign-in settings": a real sign-in through @azure/identity against a real TLS server whose CA
// this process does not trust, the way a runner behind a TLS-inspecting proxy meets Entra ID; and any other
// request that meets such a certificate with its code (ARM, a registry), named as such.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { resolveCloud } from '../../../src/core/cloud/clouds.js'
import { createCredential } from '../../../src/core/credential/create-credential.js'
import type { SignIn } from '../../../src/core/credential/sign-in.js'
import { describeError } from '../../../src/core/errors/describe-error.js'
import { stepLogger, type Logger } from '../../../src/core/log/logger.js'
import { createCertificateAuthority, issueServerCertificate, newRsaKeys } from '../../testbed/net/tls.js'

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47'
const CLIENT = '11111111-2222-3333-4444-555555555555'
const FIX =
  /NODE_EXTRA_CA_CERTS to its PEM file; on Azure DevOps, set NODE_EXTRA_CA_CERTS in the agent's environment/

const quiet: Logger = stepLogger({
  info: () => undefined,
  notice: () => undefined,
  warning: () => undefined,
  debug: () => undefined,
  group: (_title, fn) => fn(),
  setSecret: () => undefined
})

/** An HTTPS server with a certificate from a CA of its own; `withCa` sends the CA too, as an inspecting proxy does. */
async function untrustedServer(withCa: boolean): Promise<{ server: Server; url: string }> {
  const ca = await createCertificateAuthority()
  const leaf = issueServerCertificate(ca, await newRsaKeys(), ['localhost'], ['127.0.0.1'])
  const server = createServer(
    { key: leaf.keyPem, cert: withCa ? `${leaf.certPem}${ca.certPem}` : leaf.certPem },
    (_req, res) => res.end('{}')
  )
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, url: `https://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

async function signInError(authorityHost: string, signIn: SignIn): Promise<string> {
  const cloud = resolveCloud({ authorityHost })
  const credential = createCredential(signIn, cloud, quiet)
  const failure = await credential.getToken(cloud.armScope).then(
    () => undefined,
    (err: unknown) => err
  )
  return describeError(failure)
}

describe('a certificate the runner does not trust', () => {
  const servers: Server[] = []
  let proxyLike = ''
  let missingCa = ''
  beforeAll(async () => {
    const [inspecting, leafOnly] = await Promise.all([untrustedServer(true), untrustedServer(false)])
    servers.push(inspecting.server, leafOnly.server)
    proxyLike = inspecting.url
    missingCa = leafOnly.url
  }, 60_000)
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))))
  })

  it('names the cause and the fix for GitHub OIDC behind a TLS-inspecting proxy (SELF_SIGNED_CERT_IN_CHAIN)', async () => {
    const line = await signInError(proxyLike, {
      kind: 'federated',
      tenantId: TENANT,
      clientId: CLIENT,
      getAssertion: async () => 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJyZXBvOmNvbnRvc28vYXBwIn0.',
      assertionSource: 'GitHub OIDC'
    })
    expect(line).toMatch(/^Sign-in with GitHub OIDC failed: /)
    // MSAL reports the failed read of Entra ID's endpoints without its cause: the line names the likely one.
    expect(line).toMatch(
      /Entra ID could not be reached over HTTPS\. Behind a TLS-inspecting proxy or with a private CA/
    )
    expect(line).toMatch(FIX)
    expect(line).not.toMatch(/sign-in settings/i)
    expect(line.split('\n')).toHaveLength(1)
  }, 60_000)

  it('names them for a client secret when the CA is missing (the server sends its certificate alone)', async () => {
    const line = await signInError(missingCa, {
      kind: 'client-secret',
      tenantId: TENANT,
      clientId: CLIENT,
      clientSecret: 'not-a-real-secret-value'
    })
    expect(line).toMatch(/^Sign-in with .* failed: /)
    expect(line).toMatch(FIX)
    expect(line).not.toMatch(/sign-in settings/i)
  }, 60_000)

  it('gives the same fix for a request that met it outside the sign-in (UNABLE_TO_GET_ISSUER_CERT_LOCALLY)', () => {
    const err = Object.assign(new Error('unable to get local issuer certificate'), {
      code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'
    })
    expect(describeError(err)).toMatch(FIX)
  })

  it("leaves an answer's text to the service that gave it: an ARM 400 is not this runner's CA", () => {
    const line = describeError(
      Object.assign(new Error('x509: certificate has expired'), {
        name: 'RestError',
        statusCode: 400,
        code: 'InvalidParameter'
      })
    )
    expect(line).not.toMatch(/NODE_EXTRA_CA_CERTS/)
  })
})
