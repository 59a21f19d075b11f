// A token request that failed, with what we know about the sign-in that was attempted. describeError turns
// it into one line; the claims let it explain a federated credential mismatch.
import type { AssertionClaims } from './assertion-claims.js'

export class SignInError extends Error {
  constructor(
    override readonly cause: unknown,
    /** "GitHub OIDC", "client secret of app <id>", ... */
    readonly signInDescription: string,
    /** Claims of the last federated assertion presented, when the sign-in was federated. */
    readonly assertionClaims?: AssertionClaims,
    /** The audience the cloud expects on federated assertions. */
    readonly expectedAudience?: string
  ) {
    super(cause instanceof Error ? cause.message : String(cause))
    this.name = 'SignInError'
  }
}
