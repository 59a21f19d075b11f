// What the execution needs from the step: where to import (ARM, the target), how (wait, dry run, timeout), how
// many at once, and the readers and writers its steps use. Built once per step by the pipeline.
import type { ArmRegistries } from '../arm/management.js'
import type { RegistryInfo } from '../arm/registry-info.js'
import type { PollPacing } from '../arm/poll-pacing.js'
import type { TargetLocker } from '../lock/target-locker.js'
import type { ReferrerSources } from '../referrers/referrer-sources.js'
import type { TargetPlatforms } from '../referrers/target-platforms.js'
import type { ReadBudget } from '../registry/read-budget.js'
import type { TargetTagReader } from '../registry/target-tag-reader.js'
import type { Clock } from '../util/clock.js'
import type { TargetReading } from '../verify/verify-import.js'

export interface ExecutionContext extends TargetReading {
  arm: ArmRegistries
  wait: boolean
  /** Read everything, write nothing: every step says what it would do. */
  dryRun: boolean
  timeoutSeconds: number
  /** How many imports may be in flight: 'auto' adapts to throttling; a number is a fixed maximum. */
  concurrency: 'auto' | number
  /** Start no new entry after the first failure. */
  failFast: boolean
  /** Reads the target's tags and manifests while imports run, to notice them land and to check referrers. */
  targetReader?: TargetTagReader
  /** What the referrers and lock steps read and write with; without it those steps do nothing. */
  supplyChain?: SupplyChainAccess
  /**
   * The target reader and supply-chain access for another registry than `target` (fan-out: an entry whose
   * targets name another ACR); absent: every plan is written into `target`.
   */
  otherRegistry?: (registry: RegistryInfo) => Pick<ExecutionContext, 'targetReader' | 'supplyChain'>
  clock?: Clock
}

export interface SupplyChainAccess {
  /** Where each entry's referrers are read: the source registry, with the entry's access. */
  sources: ReferrerSources
  /** An index's platform manifests as the target holds them (no pull from the source). */
  platforms?: TargetPlatforms
  locker: TargetLocker
}

/** What the entries of one batch share. */
export interface BatchShared {
  pacing: PollPacing
  budget: ReadBudget
}
