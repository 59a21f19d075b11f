// One entry's execution without the test bed: its steps run in order inside one try, a referrer lookup that
// keeps failing is a warning on an entry that still succeeds, and a dry run sends no write of any kind.
import { entryLogLines } from './entry-log-lines.js'
import { describe, expect, it } from '@jest/globals'
import { RestError } from '@azure/core-rest-pipeline'
import type { ArmRegistries } from '../../src/core/arm/management.js'
import { PollPacing } from '../../src/core/arm/poll-pacing.js'
import type { RegistryInfo } from '../../src/core/arm/registry-info.js'
import type { Entry } from '../../src/core/entries/entry.js'
import type { EntryRun, EntryStep } from '../../src/core/execute/entry-step.js'
import { EntryThrottling } from '../../src/core/execute/entry-throttling.js'
import { ENTRY_STEPS, executePlan } from '../../src/core/execute/execute-plans.js'
import type { SchedulerSignals } from '../../src/core/execute/scheduler.js'
import type { ExecutionContext, SupplyChainAccess } from '../../src/core/execute/execution-context.js'
import type { TargetLocker } from '../../src/core/lock/target-locker.js'
import { EntryLog } from '../../src/core/log/entry-log.js'
import type { PlannedImport } from '../../src/core/plan/planned-import.js'
import { ReadBudget } from '../../src/core/registry/read-budget.js'
import type { TargetTagReader } from '../../src/core/registry/target-tag-reader.js'

const TARGET = { loginServer: 'prodacr.azurecr.io', sku: 'Premium' } as RegistryInfo

const DIGEST = `sha256:${'a'.repeat(64)}`

function plan(decision: PlannedImport['decision'], fields: Partial<Entry> = {}): PlannedImport {
  const reference = { registry: 'docker.io', repository: 'library/nginx', tag: '1.27' }
  return {
    entry: {
      written: 'docker.io/library/nginx:1.27',
      origin: 'source line 1',
      reference,
      targetTags: ['base/nginx:1.27'],
      untaggedRepositories: [],
      force: false,
      referrers: true,
      lock: false,
      notices: [],
      ...fields
    },
    reference,
    access: { kind: 'registryUri' },
    target: TARGET,
    source: { kind: 'read', manifest: { digest: DIGEST, platforms: [] } },
    targetsBefore: new Map(),
    decision,
    log: new EntryLog(),
    started: Date.now()
  }
}

/** Records every write; any write in a dry run fails the test that checks `writes`. */
function world(overrides: Partial<ExecutionContext> = {}) {
  const writes: string[] = []
  const arm = {
    importImage: () => {
      writes.push('importImage')
      throw new Error('no ARM here')
    }
  } as unknown as ArmRegistries
  const locker: TargetLocker = {
    lockTag: async (repository, tag) => {
      writes.push(`lock ${repository}:${tag}`)
      return true
    },
    lockManifest: async (repository, digest) => {
      writes.push(`lock ${repository}@${digest}`)
      return true
    }
  }
  const reset = new RestError('socket hang up', { code: 'ECONNRESET' })
  const supplyChain: SupplyChainAccess = {
    sources: { readsAsUs: () => false, forEntry: () => Promise.reject(reset) },
    locker
  }
  const targetReader: TargetTagReader = {
    tag: async () => ({ kind: 'digest', digest: DIGEST }),
    manifest: async () => ({ kind: 'absent' })
  }
  const context: ExecutionContext = {
    arm,
    readers: {
      readSource: () => Promise.reject(new Error('not read in the execution')),
      readTarget: async () => ({ kind: 'read', manifest: { digest: DIGEST, platforms: [] } }),
      readTargetDigest: async () => ({ kind: 'read', manifest: { digest: DIGEST, platforms: [] } })
    },
    target: TARGET,
    wait: true,
    dryRun: false,
    timeoutSeconds: 60,
    concurrency: 'auto',
    failFast: false,
    targetReader,
    supplyChain,
    ...overrides
  }
  const scheduler: SchedulerSignals = { throttled: () => undefined }
  const run = (p: PlannedImport): EntryRun => ({
    context,
    shared: { pacing: new PollPacing(), budget: ReadBudget.forSku('premium') },
    throttling: new EntryThrottling(60_000, scheduler, p.log)
  })
  return { writes, run }
}

describe('executePlan', () => {
  it('keeps an unchanged entry whose referrer lookups keep failing: a warning, its result, no failure', async () => {
    const p = plan({ kind: 'unchanged' })
    const { run } = world()
    const result = await executePlan(p, ENTRY_STEPS, run(p))
    expect(result).toMatchObject({ status: 'unchanged', digest: DIGEST })
    expect(entryLogLines(p.log).join('\n')).toMatch(
      /warning: The referrers of .* were not copied: .*socket hang up/
    )
  })

  it('ends an entry whose step throws as one failed result, and runs no later step', async () => {
    const p = plan({ kind: 'unchanged' })
    const { run } = world()
    const ran: string[] = []
    const throwing: EntryStep = async () => {
      throw new RestError('socket hang up', { code: 'ECONNRESET' })
    }
    const later: EntryStep = async (_plan, progress) => {
      ran.push('later')
      return progress
    }
    const result = await executePlan(p, [throwing, later], run(p))
    expect(result.status).toBe('failed')
    expect(result.error).toContain('socket hang up')
    expect(ran).toEqual([])
  })

  it('sends no write in a dry run of an unchanged entry with lock on, and says what it would lock', async () => {
    const p = plan({ kind: 'unchanged' }, { lock: true, referrers: false })
    const { run, writes } = world({ dryRun: true })
    const result = await executePlan(p, ENTRY_STEPS, run(p))
    expect(writes).toEqual([])
    expect(result.locked).toBeUndefined()
    expect(entryLogLines(p.log)).toContain(`Would lock prodacr.azurecr.io/base/nginx:1.27, ${DIGEST}`)
  })

  it('sends no import in a dry run of an entry the plan would import', async () => {
    const p = plan({ kind: 'import' }, { lock: true })
    const { run, writes } = world({ dryRun: true })
    const result = await executePlan(p, ENTRY_STEPS, run(p))
    expect(writes).toEqual([])
    expect(result.status).toBe('planned')
    expect(entryLogLines(p.log)).toContain(`Would import library/nginx@${DIGEST}`)
  })

  it('fails an entry the plan failed, with the plan line, and touches nothing', async () => {
    const p = plan({ kind: 'fail', error: 'Source docker.io/library/nginx:1.27 not found' })
    const { run, writes } = world()
    const result = await executePlan(p, ENTRY_STEPS, run(p))
    expect(result).toMatchObject({ status: 'failed', error: 'Source docker.io/library/nginx:1.27 not found' })
    expect(writes).toEqual([])
  })
})
