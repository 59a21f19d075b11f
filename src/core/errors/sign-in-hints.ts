// Entra ID's AADSTS codes that users of federated credentials, secrets and certificates actually meet, with
// what to do about each.
import type { AssertionClaims } from './assertion-claims.js'
import { CA_FIX } from './certificate-hint.js'

/** How createCredential names an `az` session in messages. */
export const AZURE_CLI_SESSION = 'Azure CLI session'

const FEDERATED_MISMATCH = ['700213', '70021', '700211', '700212', '7002138']

export interface SignInFacts {
  aadsts?: string
  signInDescription: string
  claims?: AssertionClaims
  expectedAudience?: string
  /** The first line of the error, for what only its text tells. */
  text?: string
}

/** The AADSTS number in an Entra ID error text, e.g. '700213'. */
export function aadstsCode(text: string): string | undefined {
  return /AADSTS(\d+)/.exec(text)?.[1]
}

/** One-line explanation + hint for a failed sign-in. */
export function signInHint(facts: SignInFacts): string {
  const { aadsts, claims } = facts
  if (aadsts && FEDERATED_MISMATCH.includes(aadsts)) {
    const presented = claims
      ? `the assertion presented has iss '${claims.iss ?? '?'}', sub '${claims.sub ?? '?'}', aud '${claims.aud ?? '?'}'`
      : 'the assertion could not be decoded'
    const caseNote = aadsts === '7002138' ? ' (subjects are case-sensitive)' : ''
    return (
      `no federated credential of the app matches: ${presented}; add a federated credential with exactly this issuer ` +
      `and subject${caseNote} and the audience ${facts.expectedAudience ?? 'api://AzureADTokenExchange'}`
    )
  }
  switch (aadsts) {
    case '700024':
      return 'the federated assertion expired or is not yet valid; check the runner clock, and re-run the job'
    case '7000215':
      return 'the client secret is wrong; use the secret value (not its ID) of the app registration'
    case '7000222':
      return 'the client secret has expired; create a new secret for the app and update it'
    case '700016':
      return 'the app (client ID) is not in that tenant; check client ID and tenant ID'
    case '90002':
    case '900023':
      return 'the tenant was not found; check the tenant ID and the environment (cloud)'
    case '700027':
    case '700030':
      return 'the certificate is not registered on the app or its key does not match; upload the certificate to the app registration'
    case '50020':
    case '500011':
      return 'the identity cannot sign in to this tenant or resource; check the tenant ID and the environment (cloud)'
  }
  // MSAL reads Entra ID's endpoints first and, when that request fails, drops its cause (a certificate Node does
  // not trust is the usual one behind a corporate proxy): name the likely causes and their fixes.
  if (facts.text !== undefined && /endpoints_resolution_error/.test(facts.text)) {
    return (
      'Entra ID could not be reached over HTTPS. Behind a TLS-inspecting proxy or with a private CA, ' +
      `${CA_FIX}; otherwise check the network and the proxy (HTTPS_PROXY, NO_PROXY)`
    )
  }
  if (facts.signInDescription === AZURE_CLI_SESSION)
    return 'sign in with az login (or azure/login) in an earlier step of the same job, or choose another auth'
  return `check the sign-in settings of ${facts.signInDescription}`
}
