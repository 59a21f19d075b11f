// The Azure half of the local test bed: Entra ID (secret, certificate and federated client credentials), the
// GitHub Actions and Azure DevOps OIDC issuers, a managed identity endpoint, ARM (registries and importImage)
// and RBAC over the fixed world. The registry half mounts `routes` on its TLS server and asks `verifyAccessToken`
// / `can` / `appObjectIdForSecret` when the ACR data-plane front authenticates a client.
import { timingSafeEqual } from 'node:crypto'
import type { AzureHalf, AzureHalfContext, Testbed } from '../types.js'
import { APPS } from '../world.js'
import { createArmRoutes } from './arm/routes.js'
import { ImportOperations } from './arm/operations.js'
import { AccessTokens } from './entra/accessTokens.js'
import { createAppCertificates } from './entra/appCertificates.js'
import { createEntraRoutes } from './entra/routes.js'
import { createManagedIdentity } from './managedIdentity.js'
import { createAzureDevOpsOidc } from './oidc/azureDevOps.js'
import { createGitHubActionsOidc } from './oidc/githubActions.js'
import { createRbac } from './rbac.js'
import { SigningKey } from './signingKey.js'

export async function createAzureHalf(ctx: AzureHalfContext): Promise<AzureHalf> {
  const entraKey = new SigningKey()
  const tokens = new AccessTokens(entraKey)
  const rbac = createRbac()
  const certificates = await createAppCertificates(APPS, ctx.workDir)
  const github = createGitHubActionsOidc()
  const ado = createAzureDevOpsOidc()
  const managedIdentity = createManagedIdentity(tokens)
  const imports: Testbed['imports'] = []

  const routes = {
    ...createEntraRoutes(entraKey, {
      apps: APPS,
      certificates,
      issuers: [github.issuer, ado.issuer],
      tokens
    }),
    ...github.routes,
    ...ado.routes,
    ...managedIdentity.routes,
    ...createArmRoutes({
      ctx,
      registries: ctx.registries,
      can: rbac.can,
      tokens,
      operations: new ImportOperations(ctx.faults),
      imports
    })
  }

  return {
    routes,
    verifyAccessToken(token) {
      const claims = tokens.verify(token)
      return (
        claims && {
          oid: claims.oid,
          tid: claims.tid,
          aud: claims.aud,
          ...(claims.appid ? { appid: claims.appid } : {})
        }
      )
    },
    can: rbac.can,
    appObjectIdForSecret(appId, secret) {
      const app = Object.values(APPS).find((a) => a.appId.toLowerCase() === appId.toLowerCase())
      const registered = app && 'clientSecret' in app ? app.clientSecret : undefined
      if (!app || !registered || registered.length !== secret.length) return undefined
      return timingSafeEqual(Buffer.from(registered), Buffer.from(secret)) ? app.objectId : undefined
    },
    appCertificatePem: Object.fromEntries([...certificates].map(([key, c]) => [key, c.pem])),
    githubOidc: github.githubOidc,
    adoOidc: ado.adoOidc,
    managedIdentityEnv: managedIdentity.env,
    imports
  }
}
