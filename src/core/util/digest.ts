// Digests as people read them.

/** sha256: and the first 12 hex characters, as registries' UIs show them. */
export function shortDigest(digest: string): string {
  return digest.replace(/^(sha256:[0-9a-f]{12})[0-9a-f]*$/, '$1')
}

/**
 * The digest grammar of the OCI image spec, for the algorithms registries use. A digest that comes from outside
 * (a header, a JSON body) is used nowhere, not in an output, a summary or a URL, unless it passes this.
 */
export function isDigest(text: unknown): text is string {
  return typeof text === 'string' && /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/.test(text)
}
