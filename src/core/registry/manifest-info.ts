// What reading a manifest tells us, and the ways it can fail to tell us.

export interface ManifestInfo {
  digest: string
  /** os/arch[/variant] of an index's images; empty for a single manifest. */
  platforms: string[]
}

export type ManifestRead =
  | { kind: 'read'; manifest: ManifestInfo }
  /** The registry answered that the repository or the manifest does not exist. */
  | { kind: 'not-found'; detail: string }
  /**
   * We could not read it (no permission, network, rate limit); the import may still work. `signInFailed`: the
   * token for the read could not be had (not a missing role).
   */
  | { kind: 'unreadable'; reason: string; status?: number; signInFailed?: boolean }

/** os/arch[/variant], skipping the `unknown/unknown` entries of attestations. */
export function platformName(os?: string, architecture?: string, variant?: string): string | undefined {
  if (!os || !architecture || os === 'unknown') return undefined
  return [os, architecture, variant].filter(Boolean).join('/')
}
