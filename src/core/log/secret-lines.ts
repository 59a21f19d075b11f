// Both hosts mask secrets line by line: a log line is compared with each registered value, and the Azure
// Pipelines agent refuses multi-line values outright. So a multi-line secret (a PEM certificate with its key)
// is registered line by line. One rule for every secret of every host.

/** Lines shorter than this are too common to mask without blanking out harmless text. */
const SHORTEST_SECRET_LINE = 8

/** The values a host registers with its masker for `secret`: itself, or each of its lines. */
export function secretLines(secret: string): string[] {
  if (!/[\r\n]/.test(secret)) return secret ? [secret] : []
  return secret
    .split(/\r?\n|\r/)
    .map((line) => line.trim())
    .filter((line) => line.length >= SHORTEST_SECRET_LINE && !line.startsWith('-----'))
}
