// A federated assertion lives minutes and an import can take longer, so a new one is asked for once the last is
// within a minute of its expiry; until then it is reused: MSAL asks several times for one step's tokens, and
// each ask is a round trip to GitHub or Azure DevOps.
import { decodeAssertionClaims, type AssertionClaims } from '../errors/assertion-claims.js'

/** An assertion is reused until this close to its expiry (one without `exp` is never reused). */
export const ASSERTION_REUSE_MARGIN_MS = 60_000

export interface ReusedAssertion {
  get(): Promise<string>
  /** Claims of the last assertion fetched, to explain a federated sign-in that failed. */
  lastClaims(): AssertionClaims | undefined
}

export function reusedAssertion(
  fetch: () => Promise<string>,
  onFetched: (assertion: string) => void,
  now: () => number = Date.now
): ReusedAssertion {
  let last: { assertion: string; claims?: AssertionClaims } | undefined
  return {
    async get() {
      const expiresAt = (last?.claims?.exp ?? 0) * 1000
      if (last && expiresAt - now() > ASSERTION_REUSE_MARGIN_MS) return last.assertion
      const assertion = await fetch()
      onFetched(assertion)
      last = { assertion, claims: decodeAssertionClaims(assertion) }
      return assertion
    },
    lastClaims: () => last?.claims
  }
}
