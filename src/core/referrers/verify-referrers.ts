// The verification of copied referrers: each one is read back in each target repository, by digest (an
// untagged referrer) or by its tag (cosign's tags, which must serve the source's digest).
import type { ReadBudget } from '../registry/read-budget.js'
import type { TargetTagReader } from '../registry/target-tag-reader.js'
import type { Referrer } from './referrer.js'

export type ReferrerState = 'present' | 'absent' | 'unreadable'

export interface ReferrerInTarget {
  referrer: Referrer
  repository: string
  state: ReferrerState
}

export async function referrersInTarget(
  referrers: Referrer[],
  repositories: string[],
  reader: TargetTagReader,
  budget?: ReadBudget,
  signal?: AbortSignal
): Promise<ReferrerInTarget[]> {
  const checks = referrers.flatMap((referrer) => repositories.map((repository) => ({ referrer, repository })))
  return Promise.all(
    checks.map(async ({ referrer, repository }) => {
      await budget?.take(1, signal)
      const read = referrer.tag
        ? await reader.tag(repository, referrer.tag, signal)
        : await reader.manifest(repository, referrer.digest, signal)
      const state: ReferrerState =
        read.kind === 'unreadable'
          ? 'unreadable'
          : read.kind === 'digest' && read.digest === referrer.digest
            ? 'present'
            : 'absent'
      return { referrer, repository, state }
    })
  )
}
