// Text that goes into the summary's Markdown: remote text made inert, digests short. The summary is read in an
// 872 px column (a laptop's GitHub job page), so no 64-hex digest is ever printed in it whole.

/** A sha256 or sha512 digest anywhere in the text, as `sha256:` and its first 12 hex characters. */
export function shortenDigests(text: string): string {
  return text.replace(/\b(sha256|sha512):([0-9a-f]{12})[0-9a-f]{20,}/g, '$1:$2')
}

/** One table cell or list item: one line, no pipes that would split the cell, no HTML from remote text. */
export function cell(text: string): string {
  return shortenDigests(text)
    .replace(/[\r\n]+/g, ' ')
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
}
