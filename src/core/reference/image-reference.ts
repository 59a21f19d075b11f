// A parsed image reference. `registry` is canonical (Docker Hub aliases become docker.io, lower case) and
// `repository` is what the registry itself calls the repository (library/nginx on Docker Hub).

export interface ImageReference {
  /** Registry host as ARM's registryUri wants it: docker.io, mcr.microsoft.com, myacr.azurecr.io, host:port. */
  registry: string
  repository: string
  /** Tag, when one was given or defaulted (latest when neither tag nor digest was given). */
  tag?: string
  /** sha256:<64 hex>, when one was given. */
  digest?: string
}

/** repo:tag, repo@digest, or repo:tag@digest — the reference inside its registry. */
export function repositoryReference(ref: Pick<ImageReference, 'repository' | 'tag' | 'digest'>): string {
  return `${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`
}

/** registry/repo:tag@digest. */
export function fullReference(ref: ImageReference): string {
  return `${ref.registry}/${repositoryReference(ref)}`
}
