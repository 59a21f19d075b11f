// A target written as `repository:tag`. A tag holds no colon, so the last one splits it (a repository never
// holds one either, but a login server's port would, and targets carry none).

export function splitRepoTag(repoTag: string): { repository: string; tag: string } {
  const colon = repoTag.lastIndexOf(':')
  return { repository: repoTag.slice(0, colon), tag: repoTag.slice(colon + 1) }
}
