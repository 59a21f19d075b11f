// Reads of the target registry while imports run: which digest a tag serves, and whether a repository holds a
// digest. One ACR client per repository, kept for the whole step, so each read is one request with a cached
// repository token (a client shared by many repositories trades its token on every read). Throttled reads wait
// and retry like ARM calls do.
import { isRestError } from '@azure/core-rest-pipeline'
import type { AcrRepositoryClients } from './acr-repository-clients.js'
import { isAbortError } from '../util/abort.js'
import { isDigest } from '../util/digest.js'

export type TargetRead = { kind: 'digest'; digest: string } | { kind: 'absent' } | { kind: 'unreadable' }

export interface TargetTagReader {
  /** The digest `repository:tag` serves. */
  tag(repository: string, tag: string, signal?: AbortSignal): Promise<TargetRead>
  /** Whether `repository` holds the manifest `digest` (then `digest` is read back). */
  manifest(repository: string, digest: string, signal?: AbortSignal): Promise<TargetRead>
}

export function createTargetTagReader(loginServer: string, clients: AcrRepositoryClients): TargetTagReader {
  const call = clients.of(loginServer)
  return {
    tag: (repository, tag, signal) =>
      readSafely(async () => {
        const properties = await call(repository, (client) =>
          client.getArtifact(repository, tag).getTagProperties(tag, { abortSignal: signal })
        )
        return properties.digest
      }),
    manifest: (repository, digest, signal) =>
      readSafely(async () => {
        const properties = await call(repository, (client) =>
          client.getArtifact(repository, digest).getManifestProperties({ abortSignal: signal })
        )
        return properties.digest
      })
  }
}

async function readSafely(read: () => Promise<string>): Promise<TargetRead> {
  try {
    const digest = await read()
    return isDigest(digest) ? { kind: 'digest', digest } : { kind: 'unreadable' }
  } catch (err) {
    if (isAbortError(err)) throw err
    return isRestError(err) && err.statusCode === 404 ? { kind: 'absent' } : { kind: 'unreadable' }
  }
}
