// The lock step of the execution, last: once the image and its referrers landed and were verified, its target
// tags and its manifest in each target repository can no longer be overwritten or deleted, so a release tag in
// production cannot move or vanish. cosign's tags stay writable: cosign adds a signature by rewriting them.
import { isRestError } from '@azure/core-rest-pipeline'
import { describeError } from '../errors/describe-error.js'
import { joinSentences } from '../errors/user-error.js'
import type { PlannedImport } from '../plan/planned-import.js'
import { repositoriesOf } from '../entries/entry.js'
import type { TargetLocker } from './target-locker.js'
import { isAbortError } from '../util/abort.js'
import { splitRepoTag } from '../util/repo-tag.js'

/** The roles that may change a tag's attributes (`metadata_write`); the importer role may not. */
export const LOCK_ROLES = '"AcrPush" or "Container Registry Repository Writer"'

/** Locks the entry's target tags and its digest; returns the failure line, if any. */
export async function lockTargets(
  plan: PlannedImport,
  digest: string,
  loginServer: string,
  locker: TargetLocker,
  signal?: AbortSignal
): Promise<string | undefined> {
  const work = [
    ...plan.entry.targetTags.map((target) => {
      const { repository, tag } = splitRepoTag(target)
      return { name: target, lock: () => locker.lockTag(repository, tag, signal) }
    }),
    ...(digest
      ? repositoriesOf(plan.entry).map((repository) => ({
          name: `${repository}@${digest}`,
          lock: () => locker.lockManifest(repository, digest, signal)
        }))
      : [])
  ]
  let locked = 0
  for (const { name, lock } of work) {
    try {
      if (await lock()) locked++
    } catch (err) {
      if (isAbortError(err) && signal?.aborted) throw err
      return lockFailure(`${loginServer}/${name}`, err)
    }
  }
  plan.log.info(
    locked > 0
      ? `Locked ${work.map((w) => `${loginServer}/${w.name}`).join(', ')} (write and delete disabled)`
      : `Already locked: ${work.map((w) => `${loginServer}/${w.name}`).join(', ')}`
  )
  return undefined
}

function lockFailure(name: string, err: unknown): string {
  const registry = name.split('/')[0]
  if (isRestError(err) && (err.statusCode === 401 || err.statusCode === 403)) {
    return joinSentences(
      `Could not lock ${name}: ${registry} refused to change its attributes (HTTP ${err.statusCode})`,
      `grant the signed-in identity ${LOCK_ROLES} on ${registry} (locking writes tag attributes, which the importer role cannot), or set lock: false`
    )
  }
  return `Could not lock ${name}: ${describeError(err)}`
}
