// POST /faults/<name> of the control API: one command per Faults method, with the body fields it takes.
// Every field is read (and checked) before the method runs, so a bad request changes no fault.
import type { Faults, TokenBucketLimit } from '../types.js'
import { JsonFields } from './json-fields.js'

const BUCKET_FIELDS = ['capacity', 'refillPerSecond']

/** `{"capacity": 200, "refillPerSecond": 10}`; absent or null: no bucket (unlimited). */
function tokenBucket(body: JsonFields, name: string): TokenBucketLimit | undefined {
  const bucket = body.optionalObject(name, BUCKET_FIELDS)
  return (
    bucket && {
      capacity: bucket.integer('capacity', 1),
      refillPerSecond: bucket.numberAbove('refillPerSecond', 0)
    }
  )
}

interface FaultCommand {
  fields: readonly string[]
  apply(faults: Faults, body: JsonFields): void
}

export const FAULT_COMMANDS = new Map<string, FaultCommand>([
  [
    'throttle-imports',
    {
      fields: ['count', 'status', 'retryAfterSeconds'],
      apply: (faults, body) =>
        faults.throttleImports(
          body.integer('count', 0),
          body.oneOf('status', [429, 503] as const),
          body.number('retryAfterSeconds', 0)
        )
    }
  ],
  [
    'reset-connections',
    {
      fields: ['host', 'count', 'pathIncludes'],
      apply: (faults, body) =>
        faults.resetConnections(
          body.string('host'),
          body.integer('count', 0),
          body.optionalString('pathIncludes')
        )
    }
  ],
  [
    'throttle-host',
    {
      fields: ['host', 'count', 'retryAfterSeconds', 'pathIncludes'],
      apply: (faults, body) =>
        faults.throttleHost(
          body.string('host'),
          body.integer('count', 0),
          body.number('retryAfterSeconds', 0),
          body.optionalString('pathIncludes')
        )
    }
  ],
  ['stall-imports', { fields: ['on'], apply: (faults, body) => faults.stallImports(body.boolean('on')) }],
  [
    'fail-next-import',
    { fields: ['message'], apply: (faults, body) => faults.failNextImport(body.string('message')) }
  ],
  [
    'import-timeline',
    {
      fields: ['polls', 'retryAfterSeconds', 'acceptedRetryAfterSeconds'],
      apply: (faults, body) =>
        faults.importTimeline(
          body.integer('polls', 0),
          body.optionalNumber('retryAfterSeconds', 0),
          body.optionalNumber('acceptedRetryAfterSeconds', 0)
        )
    }
  ],
  [
    'import-duration',
    { fields: ['ms'], apply: (faults, body) => faults.importDuration(body.number('ms', 0)) }
  ],
  [
    'immediate-import-answer',
    { fields: ['on'], apply: (faults, body) => faults.immediateImportAnswer(body.boolean('on')) }
  ],
  [
    'fail-import-polls',
    {
      fields: ['status', 'on'],
      apply: (faults, body) =>
        faults.failImportPolls(body.oneOf('status', [500, 503] as const), body.boolean('on'))
    }
  ],
  [
    'another-writer-on-next-import',
    {
      // `{"repo": "library/alpine", "reference": "3.20"}`: the image (on Docker Hub) the other writer puts there.
      fields: ['repo', 'reference'],
      apply: (faults, body) => {
        const image = { repo: body.string('repo'), reference: body.string('reference') }
        faults.anotherWriterOnNextImport(image)
      }
    }
  ],
  [
    'latency',
    {
      fields: ['host', 'ms'],
      apply: (faults, body) => faults.latency(body.string('host'), body.number('ms', 0))
    }
  ],
  [
    'docker-hub-anonymous-limit',
    {
      // `{"limit": null}` lifts the limit (Faults takes Infinity, which JSON cannot say).
      fields: ['limit'],
      apply: (faults, body) => faults.dockerHubAnonymousLimit(body.integerOrNull('limit', 0))
    }
  ],
  [
    'arm-throttling',
    {
      // `{"writes": {"capacity": 200, "refillPerSecond": 10}, "reads": null}`; `{}` turns throttling off.
      fields: ['writes', 'reads'],
      apply: (faults, body) => {
        const writes = tokenBucket(body, 'writes')
        const reads = tokenBucket(body, 'reads')
        faults.armThrottling({ ...(writes ? { writes } : {}), ...(reads ? { reads } : {}) })
      }
    }
  ],
  [
    'tags-page-limit',
    {
      // `{"host": "registry-1.docker.io", "limit": 10}`; `"limit": null` lifts the cap.
      fields: ['host', 'limit'],
      apply: (faults, body) => faults.tagsPageLimit(body.string('host'), body.integerOrNull('limit', 1))
    }
  ],
  ['reset', { fields: [], apply: (faults) => faults.reset() }]
])
