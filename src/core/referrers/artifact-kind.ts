// What a referrer is, in words a release engineer uses: a signature, an SBOM, an attestation, or some other
// artifact. Known types are those of Notation, cosign, SPDX, CycloneDX and in-toto; anything else is counted
// as an artifact rather than guessed at.

export type ArtifactKind = 'signature' | 'SBOM' | 'attestation' | 'artifact'

const KINDS: [ArtifactKind, RegExp][] = [
  [
    'signature',
    // A Sigstore bundle is what cosign v3 signs with by default (an attestation in a bundle counts as one too).
    /^application\/vnd\.(cncf\.notary\.signature|dev\.cosign\.simplesigning\.v1\+json|dev\.cosign\.artifact\.sig\.v1\+json|dev\.sigstore\.bundle(\.v[\d.]+)?\+json)$/
  ],
  [
    'SBOM',
    /^(application|text)\/(spdx(\+json|\+xml)?|vnd\.cyclonedx(\+json|\+xml)?|vnd\.dev\.cosign\.artifact\.sbom\.v1\+json|vnd\.syft\+json)$/
  ],
  [
    'attestation',
    /^application\/vnd\.(in-toto(\.[\w.-]+)?\+json|dsse\.envelope\.v1\+json|dev\.cosign\.artifact\.att\.v1\+json)$/
  ]
]

export function artifactKind(artifactType: string): ArtifactKind {
  const type = artifactType.toLowerCase().split(';')[0].trim()
  return KINDS.find(([, pattern]) => pattern.test(type))?.[0] ?? 'artifact'
}

/** "2 signatures, 1 SBOM": each kind with its count, in a fixed order; '' for none. */
export function describeArtifacts(artifactTypes: string[]): string {
  const order: ArtifactKind[] = ['signature', 'SBOM', 'attestation', 'artifact']
  const counts = new Map<ArtifactKind, number>()
  for (const type of artifactTypes) {
    const kind = artifactKind(type)
    counts.set(kind, (counts.get(kind) ?? 0) + 1)
  }
  return order
    .filter((kind) => counts.has(kind))
    .map((kind) => `${counts.get(kind)} ${kind}${counts.get(kind) === 1 ? '' : 's'}`)
    .join(', ')
}
