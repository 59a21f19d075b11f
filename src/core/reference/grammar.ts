// The OCI distribution grammar for repository names, tags and digests (distribution/reference), so a typo is
// reported with what is wrong before anything goes to Azure.

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/
const DIGEST = /^sha256:[a-f0-9]{64}$/

/** Why `repository` is not a valid repository name, or undefined when it is. */
export function repositoryProblem(repository: string): string | undefined {
  if (!repository) return 'the repository name is empty'
  if (repository.length > 255) return 'the repository name is longer than 255 characters'
  if (/[A-Z]/.test(repository))
    return `the repository '${repository}' has upper-case letters (names are lower case)`
  const bad = repository.split('/').find((component) => !PATH_COMPONENT.test(component))
  if (bad !== undefined) {
    return bad === ''
      ? `the repository '${repository}' has an empty path component`
      : `'${bad}' is not a valid repository path component (lower-case letters, digits, and . _ - between them)`
  }
  return undefined
}

/** Why `tag` is not a valid tag, or undefined when it is. */
export function tagProblem(tag: string): string | undefined {
  if (!tag) return 'the tag after ":" is empty'
  if (!TAG.test(tag))
    return `'${tag}' is not a valid tag (up to 128 letters, digits, _ . -; not starting with . or -)`
  return undefined
}

/** Why `digest` is not a valid sha256 digest, or undefined when it is. */
export function digestProblem(digest: string): string | undefined {
  if (DIGEST.test(digest)) return undefined
  if (/^sha256:[A-Fa-f0-9]{64}$/.test(digest)) return `the digest '${digest}' must be lower case`
  return `'${digest}' is not a sha256 digest (sha256: followed by 64 hex characters)`
}
