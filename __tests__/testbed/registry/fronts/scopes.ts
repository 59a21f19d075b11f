// Repository scopes of the distribution token protocol: `repository:<name>:<action>[,<action>]`.

export interface RepositoryAccess {
  type: string
  name: string
  actions: string[]
}

/** Repository a `/v2/<name>/(manifests|blobs|tags)/...` path addresses (names may contain '/'). */
export function repositoryOfPath(path: string): string | undefined {
  return /^\/v2\/(.+?)\/(manifests|blobs|tags)\//.exec(path.split('?')[0])?.[1]
}

/** Parses `repository:library/hello-world:pull,push` (the name may itself contain ':' only in a port-less way). */
export function parseScope(scope: string): RepositoryAccess | undefined {
  const first = scope.indexOf(':')
  const last = scope.lastIndexOf(':')
  if (first < 0 || last <= first) return undefined
  return {
    type: scope.slice(0, first),
    name: scope.slice(first + 1, last),
    actions: scope
      .slice(last + 1)
      .split(',')
      .filter(Boolean)
  }
}

/** Every scope of a token request: `scope` may repeat, and one value may hold several space-separated scopes. */
export function scopesOf(params: URLSearchParams): RepositoryAccess[] {
  return params
    .getAll('scope')
    .flatMap((value) => value.split(' '))
    .map(parseScope)
    .filter((access): access is RepositoryAccess => access !== undefined)
}

export function allows(access: RepositoryAccess[] | undefined, repository: string, action: string): boolean {
  return (access ?? []).some(
    (entry) => entry.type === 'repository' && entry.name === repository && entry.actions.includes(action)
  )
}
