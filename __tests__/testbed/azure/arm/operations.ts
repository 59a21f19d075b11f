// importImage long-running operations, as ARM runs them: the POST answers 202 with an absolute Location
// (.../locations/{REGION}/operationResults/registries-{uuid}?api-version&t&c&s&h), empty body; each GET on it
// answers 202 {"<repo:tag>":"Pending","status":"Accepted"} with a newly signed Location while the import runs,
// then 200 {"status":"Succeeded"}, or HTTP 400 InvalidParameters on failure. Never 204: the JS SDK throws on it.
// An import that is over at once can instead be answered 200 on its POST (Azure/acr#636).
//
// What "runs" means here is the configured timeline only (faults: importTimeline polls, importDuration, stall):
// the test bed's own copy takes milliseconds, and answering 202 while it runs would make poll counts depend on
// the machine's speed. So once the timeline is over, a poll waits for the copy and gives the final answer.
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
  /** `Retry-After` of the pending polls and of the POST's 202, as configured when the import started. */
  pollRetryAfterSeconds?: number
  acceptedRetryAfterSeconds?: number
  /** performance.now() at which the import's server-side duration is over (its tags are written then). */
  readyAt: number
  startedWhileStalled: boolean
  state: OperationState
  /** Settles when the import job has settled `state`. */
  settled: Promise<void>
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

const retryAfter = (seconds: number | undefined): Record<string, string> =>
  seconds === undefined ? {} : { 'retry-after': String(seconds) }

/** Resolves at `at` (a performance.now() time); the timer does not keep a finished test's process alive. */
export const sleepUntil = (at: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, at - performance.now())).unref())

export class ImportOperations {
  private readonly operations = new Map<string, ImportOperation>()

  constructor(private readonly faults: ArmFaultState) {}

  start(
    fields: Pick<ImportOperation, 'subscriptionId' | 'armHost' | 'location' | 'apiVersion' | 'targetTags'>
  ): ImportOperation {
    const op: ImportOperation = {
      ...fields,
      name: `registries-${randomUUID()}`,
      pollsLeft: this.faults.importPolls,
      pollRetryAfterSeconds: this.faults.importRetryAfterSeconds,
      acceptedRetryAfterSeconds: this.faults.importAcceptedRetryAfterSeconds,
      readyAt: performance.now() + this.faults.importDurationMs,
      startedWhileStalled: this.faults.importsStalled,
      state: { kind: 'running' },
      settled: Promise.resolve()
    }
    this.operations.set(op.name.toLowerCase(), op)
    return op
  }

  find(name: string): ImportOperation | undefined {
    return this.operations.get(name.toLowerCase())
  }

  /** True when the POST may wait for the import and answer it (faults.immediateImportAnswer). */
  answersAtOnce(op: ImportOperation): boolean {
    return this.faults.immediateImportAnswers && !op.startedWhileStalled && op.readyAt <= performance.now()
  }

  /** The POST's answer: 202, empty body, absolute Location; Retry-After only when configured. */
  sendAccepted(res: ServerResponse, op: ImportOperation): void {
    sendEmpty(res, 202, { location: operationUrl(op), ...retryAfter(op.acceptedRetryAfterSeconds) })
  }

  /** The POST's answer for an import that is over at once: 200 and an empty body, or the failure. */
  async sendDone(res: ServerResponse, op: ImportOperation): Promise<void> {
    await op.settled
    // ARM's own answer for an import that fails at once is not documented; the test bed gives the poll's.
    if (op.state.kind === 'failed') return this.sendFailure(res, op.state.message)
    sendEmpty(res, 200)
  }

  /** One poll of the Location URL. */
  async sendPoll(res: ServerResponse, op: ImportOperation): Promise<void> {
    // faults.failImportPolls: a flaky ARM front; the import goes on. Real ARM's exact 500 body is not known.
    const failure = this.faults.importPollFailure
    if (failure !== undefined) {
      return sendJson(res, failure, {
        error: { code: 'InternalServerError', message: 'An internal error occurred. Please retry later.' }
      })
    }
    const stalled = op.startedWhileStalled && this.faults.importsStalled
    if (stalled || op.pollsLeft > 0 || performance.now() < op.readyAt) {
      if (op.pollsLeft > 0) op.pollsLeft -= 1
      const pending = Object.fromEntries(op.targetTags.map((t) => [t, 'Pending']))
      return sendJson(
        res,
        202,
        { ...pending, status: 'Accepted' },
        { location: operationUrl(op), ...retryAfter(op.pollRetryAfterSeconds) }
      )
    }
    await op.settled
    if (op.state.kind === 'failed') return this.sendFailure(res, op.state.message)
    sendJson(res, 200, { status: 'Succeeded' })
  }

  private sendFailure(res: ServerResponse, message: string): void {
    sendJson(res, 400, { error: { code: 'InvalidParameters', message } })
  }
}
