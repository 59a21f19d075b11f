// Digests as people read them.

/** sha256: and the first 12 hex characters, as registries' UIs show them. */
export function shortDigest(digest: string): string {
  return digest.replace(/^(sha256:[0-9a-f]{12})[0-9a-f]*$/, '$1')
}
