// The signature gate's vocabulary: a signature as read from the source registry (a carrier), and what checking
// one carrier against one trust policy (entries/trust-policy.ts) says.

/** A signature as found in the source registry, its bytes read (bounded) and its digest checked. */
export type SignatureCarrier =
  /** cosign's tag scheme: one layer of the `sha256-<hex>.sig` manifest (several signatures: several layers). */
  | { kind: 'cosign'; digest: string; payload: Uint8Array; annotations: Record<string, string> }
  /** A Sigstore bundle (`application/vnd.dev.sigstore.bundle.v0.3+json`), an OCI 1.1 referrer's layer. */
  | { kind: 'sigstore-bundle'; digest: string; bundle: Uint8Array }
  /** A Notation signature (`application/vnd.cncf.notary.signature`) referrer's envelope layer. */
  | {
      kind: 'notation'
      digest: string
      mediaType: 'application/jose+json' | 'application/cose'
      envelope: Uint8Array
    }

/** One carrier against one policy. `digest` of a carrier is the signature manifest's, for results. */
export type SignatureCheck =
  /** `signer`: the key's fingerprint (`SHA256:<base64>` of its SPKI DER) or the certificate's identity. */
  | { verified: true; signer: string }
  /** `reason`: one short clause for the refusal line ("signed by another key", "signs sha256:ab12…, not this image"). */
  | { verified: false; reason: string }
