// A trust policy as the user wrote it under `trust:` (or in a `trust-policy` file), checked before any request,
// and what an entry's `verify:` chose. The signatures stage checks signatures against these.

/** cosign: keyed (`publicKeyPem`) or keyless (`issuer` + `subject`, a Fulcio certificate and a Rekor entry). */
export interface CosignPolicy {
  /** Keyed: the PEM public key (ECDSA, RSA or Ed25519). */
  publicKeyPem?: string
  /** A Rekor entry is required (the default) or not looked at (`skip`: keys used offline, `--tlog-upload=false`). */
  transparencyLog: 'required' | 'skip'
  /** Keyless: the OIDC issuer the certificate names, compared exactly. */
  issuer?: string
  /** Keyless: the certificate identity (SAN) as an RE2 pattern, matched whole: the verifier anchors it `^(?:…)$`. */
  subject?: string
  /** Keyless: a Sigstore trusted root (trusted_root.json, parsed); absent: the public-good root the step ships. */
  trustedRoot?: unknown
}

/** Notation, `notary.x509`: the chain ends at one of the trust store's certificates. */
export interface NotationPolicy {
  /** PEM certificates (CA roots or intermediates the chain must end at). */
  trustStorePems: string[]
  /** `x509.subject: C=US, ST=WA, …` strings; absent or empty: any leaf the trust store issued. */
  identities?: string[]
}

export interface TrustPolicy {
  /** Its name under `trust:`. */
  name: string
  cosign?: CosignPolicy
  notation?: NotationPolicy
}

/** What an entry's `verify:` chose: any one policy that verifies lets the image through. */
export interface EntryVerification {
  policies: TrustPolicy[]
  /** enforce (default): a refused image is not imported; audit: imported, with a warning that says what failed. */
  mode: 'enforce' | 'audit'
}

export type VerifyMode = EntryVerification['mode']

/**
 * A keyless policy's `subject` as the verifier must match it: anchored, so that it matches the certificate's whole
 * identity. `https://github.com/contoso/` alone would find a match in `https://github.com/contoso-evil/…`; anchored
 * it matches that one text only. The group keeps an alternation inside (`a|b`) from escaping the anchors.
 */
export function anchoredSubject(subject: string): string {
  return `^(?:${subject})$`
}
