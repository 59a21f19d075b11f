// The plan stage: reads each entry's source (its digest pins the import) and decides what the execution does
// with it. Reads run a few at a time; they are HEADs, which Docker Hub does not count against its pull limit.
import type { RegistryInfo } from '../arm/registry-info.js'
import { UserError } from '../errors/user-error.js'
import { mapLimited } from '../execute/map-limited.js'
import { fullReference } from '../reference/image-reference.js'
import type { ManifestReaders } from '../registry/read-manifests.js'
import type { ResolvedEntry } from '../resolve/source-access.js'
import { EntryLog } from '../step/entry-log.js'
import { describePlan, type PlanDecision, type PlannedImport } from './planned-import.js'

const MAX_PARALLEL_READS = 8

export interface PlanContext {
  readers: ManifestReaders
  target: RegistryInfo
  signal?: AbortSignal
}

export function planImports(imports: ResolvedEntry[], context: PlanContext): Promise<PlannedImport[]> {
  return mapLimited(imports, MAX_PARALLEL_READS, (resolved) => planImport(resolved, context))
}

async function planImport(resolved: ResolvedEntry, context: PlanContext): Promise<PlannedImport> {
  const started = Date.now()
  const log = new EntryLog()
  resolved.entry.notices.forEach((notice) => log.notice(notice))
  log.info(describePlan(resolved, context.target.loginServer))
  const source = await context.readers.readSource(resolved, context.signal)
  if (source.kind === 'read') log.info(`Source digest: ${source.manifest.digest}`)
  else if (source.kind === 'unreadable') log.debug(`Source digest not readable: ${source.reason}`)
  const decision: PlanDecision =
    source.kind === 'not-found'
      ? {
          kind: 'fail',
          error: new UserError(
            `Source ${fullReference(resolved.reference)} was not found (${source.detail})`,
            'check the repository and the tag or digest'
          ).format()
        }
      : { kind: 'import' }
  return { ...resolved, source, decision, log, started }
}
