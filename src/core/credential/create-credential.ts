// One @azure/identity credential per sign-in kind (no hand-written OAuth). Every credential is wrapped so a
// failed token request carries the sign-in's description and, for federation, the last assertion's claims.
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth'
import {
  AzureCliCredential,
  ClientAssertionCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential
} from '@azure/identity'
import type { Cloud } from '../cloud/clouds.js'
import type { Logger } from '../log/logger.js'
import { AZURE_CLI_SESSION } from '../errors/sign-in-hints.js'
import type { AssertionClaims } from '../errors/assertion-claims.js'
import { checkSignIn } from './check-sign-in.js'
import { reusedAssertion } from './reused-assertion.js'
import { SharedTokenCredential } from './shared-token.js'
import { SignInError } from '../errors/sign-in-error.js'
import type { SignIn } from './sign-in.js'
import { isAbortError } from '../util/abort.js'
import { clientPolicies } from '../network/client-policies.js'

// Entra ID is reached like every other service: behind a proxy over kept-alive tunnels, and a 429 is waited out
// within the entry's time at Entra ID's pacer, which every token request of the step shares (the pipeline's own
// retries give up after three).
const ENTRA_POLICIES = clientPolicies('entra')

/**
 * Builds the credential for `signIn` in `cloud` (checked first), registering its secrets with the host's masker;
 * concurrent requests for one scope share one token request.
 */
export function createCredential(signIn: SignIn, cloud: Cloud, log: Logger): TokenCredential {
  return new SharedTokenCredential(credentialFor(signIn, cloud, log))
}

function credentialFor(signIn: SignIn, cloud: Cloud, log: Logger): TokenCredential {
  checkSignIn(signIn)
  const authority = { ...authorityOptions(cloud), additionalPolicies: ENTRA_POLICIES }
  switch (signIn.kind) {
    case 'federated': {
      const assertion = reusedAssertion(
        () => signIn.getAssertion(cloud.federatedAudience),
        (fetched) => log.setSecret(fetched)
      )
      const credential = new ClientAssertionCredential(
        signIn.tenantId,
        signIn.clientId,
        () => assertion.get(),
        authority
      )
      return new ExplainingCredential(
        credential,
        signIn.assertionSource,
        () => assertion.lastClaims(),
        cloud.federatedAudience
      )
    }
    case 'client-secret':
      log.setSecret(signIn.clientSecret)
      return new ExplainingCredential(
        new ClientSecretCredential(signIn.tenantId, signIn.clientId, signIn.clientSecret, authority),
        `client secret of app ${signIn.clientId}`
      )
    case 'client-certificate':
      // The logger registers each line of the PEM (the key's lines are secrets on their own).
      log.setSecret(signIn.certificatePem)
      return new ExplainingCredential(
        new ClientCertificateCredential(
          signIn.tenantId,
          signIn.clientId,
          { certificate: signIn.certificatePem },
          authority
        ),
        `certificate of app ${signIn.clientId}`
      )
    case 'managed-identity':
      return new ExplainingCredential(
        signIn.clientId
          ? new ManagedIdentityCredential({ clientId: signIn.clientId, additionalPolicies: ENTRA_POLICIES })
          : new ManagedIdentityCredential({ additionalPolicies: ENTRA_POLICIES }),
        signIn.clientId ? `managed identity ${signIn.clientId}` : 'system-assigned managed identity'
      )
    case 'azure-cli':
      return new ExplainingCredential(
        new AzureCliCredential(signIn.tenantId ? { tenantId: signIn.tenantId } : {}),
        AZURE_CLI_SESSION
      )
  }
}

/** Where Entra ID is. Custom authorities (Azure Stack Hub, ADFS) are unknown to instance discovery, which fails. */
export function authorityOptions(cloud: Cloud): { authorityHost: string; disableInstanceDiscovery: boolean } {
  return { authorityHost: cloud.authorityHost, disableInstanceDiscovery: cloud.customAuthority }
}

/** Wraps a credential so its failures say which sign-in failed and with which federated claims. */
class ExplainingCredential implements TokenCredential {
  constructor(
    private readonly inner: TokenCredential,
    private readonly description: string,
    private readonly claims: () => AssertionClaims | undefined = () => undefined,
    private readonly expectedAudience?: string
  ) {}

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    try {
      const token = await this.inner.getToken(scopes, options)
      if (!token) throw new Error(`no token was returned for ${String(scopes)}`)
      return token
    } catch (err) {
      // A cancelled request is not a sign-in problem; let the caller see the abort as it is.
      if (err instanceof SignInError || isAbortError(err)) throw err
      throw new SignInError(err, this.description, this.claims(), this.expectedAudience)
    }
  }
}
