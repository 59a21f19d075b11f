// importImage long-running operations, exactly as ARM runs them: the POST answers 202 with an absolute Location
// (.../locations/{REGION}/operationResults/registries-{uuid}?api-version&t&c&s&h); each GET on it answers 202
// {"<repo:tag>":"Pending","status":"Accepted"} with a newly signed Location while the import runs (and for the
// configured number of polls), then 200 {"status":"Succeeded"}, or HTTP 400 InvalidParameters on failure.
// Never 204: the JS SDK throws on it.
import { randomBytes, randomUUID } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import type { ArmFaultState } from '../../types.js'
import { sendEmpty, sendJson } from '../http.js'

type OperationState = { kind: 'running' } | { kind: 'succeeded' } | { kind: 'failed'; message: string }

export interface ImportOperation {
  name: string
  subscriptionId: string
  armHost: string
  location: string
  apiVersion: string
  targetTags: string[]
  /** 202 answers still owed before the final one (the fault's import timeline). */
  pollsLeft: number
  startedWhileStalled: boolean
  state: OperationState
}

/** .NET ticks, as in real ARM Location queries (`t=`). */
const ticks = (): string => (BigInt(Date.now()) * 10000n + 621355968000000000n).toString()

export function operationUrl(op: ImportOperation): string {
  const query = new URLSearchParams({
    'api-version': op.apiVersion,
    t: ticks(),
    c: randomBytes(24).toString('base64url'),
    s: randomBytes(32).toString('base64url'),
    h: randomBytes(16).toString('base64url')
  })
  return `https://${op.armHost}/subscriptions/${op.subscriptionId}/providers/Microsoft.ContainerRegistry/locations/${op.location.toUpperCase()}/operationResults/${op.name}?${query}`
}

export class ImportOperations {
  private readonly operations = new Map<string, ImportOperation>()

  constructor(private readonly faults: ArmFaultState) {}

  start(
    fields: Omit<ImportOperation, 'name' | 'pollsLeft' | 'startedWhileStalled' | 'state'>
  ): ImportOperation {
    const op: ImportOperation = {
      ...fields,
      name: `registries-${randomUUID()}`,
      pollsLeft: this.faults.importPolls,
      startedWhileStalled: this.faults.importsStalled,
      state: { kind: 'running' }
    }
    this.operations.set(op.name.toLowerCase(), op)
    return op
  }

  find(name: string): ImportOperation | undefined {
    return this.operations.get(name.toLowerCase())
  }

  private retryAfterHeader(): Record<string, string> {
    const seconds = this.faults.importRetryAfterSeconds
    return seconds === undefined ? {} : { 'retry-after': String(seconds) }
  }

  /** The POST's answer: 202, empty body, absolute Location. */
  sendAccepted(res: ServerResponse, op: ImportOperation): void {
    sendEmpty(res, 202, { location: operationUrl(op), ...this.retryAfterHeader() })
  }

  /** One poll of the Location URL. */
  sendPoll(res: ServerResponse, op: ImportOperation): void {
    const stalled = op.startedWhileStalled && this.faults.importsStalled
    if (stalled || op.pollsLeft > 0 || op.state.kind === 'running') {
      if (op.pollsLeft > 0) op.pollsLeft -= 1
      const pending = Object.fromEntries(op.targetTags.map((t) => [t, 'Pending']))
      return sendJson(
        res,
        202,
        { ...pending, status: 'Accepted' },
        { location: operationUrl(op), ...this.retryAfterHeader() }
      )
    }
    if (op.state.kind === 'succeeded') return sendJson(res, 200, { status: 'Succeeded' })
    sendJson(res, 400, { error: { code: 'InvalidParameters', message: op.state.message } })
  }
}
