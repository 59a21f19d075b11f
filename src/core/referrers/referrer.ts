// What refers to an image: signatures, SBOMs and attestations, found in the source (find-referrers.ts) and
// copied next to the image in the target (copy-referrers.ts).

export interface Referrer {
  digest: string
  /** The OCI artifact type; for cosign's tags, the type their suffix stands for (cosign writes none). */
  artifactType: string
  /** The digest this referrer refers to (the image, one of its platform manifests, or another referrer). */
  subject: string
  /** cosign's tag (`sha256-<hex>.sig`) when the referrer is found by tag; it is copied under the same tag. */
  tag?: string
}

/** The type each cosign tag suffix holds (cosign's own media types of the payloads). */
export const COSIGN_SUFFIX_TYPES: Record<string, string> = {
  sig: 'application/vnd.dev.cosign.simplesigning.v1+json',
  att: 'application/vnd.dsse.envelope.v1+json',
  sbom: 'application/vnd.dev.cosign.artifact.sbom.v1+json'
}

/** `sha256:<hex>` as tags spell it: `sha256-<hex>` (the referrers tag schema and cosign's tags). */
export function digestTag(digest: string): string {
  return digest.replace(':', '-').slice(0, 128)
}
