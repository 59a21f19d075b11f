// POST .../registries/{name}/importImage: throttling (fault), RBAC on the target, strict body validation, linked
// authorization on a source given by resource ID, then an asynchronous import behind a 202 + Location (or,
// with faults.immediateImportAnswer, a 200 once the import is done).
import type { ServerResponse } from 'node:http'
import type { AzureHalfContext, OciClient, Testbed } from '../../types.js'
import { ACTIONS } from '../rbac.js'
import { authorizationFailed, type Caller } from './authenticate.js'
import { ArmError } from './errors.js'
import { ImportFailure, runImportJob } from './importJob.js'
import { parseImportRequest, parseRegistryResourceId, targetTagsOf } from './importRequest.js'
import { sleepUntil, type ImportOperations } from './operations.js'
import {
  assertResourceGroupExists,
  findRegistry,
  registryResourceId,
  type RegistryReadDeps
} from './registries.js'
import { subscriptionById } from './subscriptions.js'

export interface ImportImageDeps extends RegistryReadDeps {
  ctx: AzureHalfContext
  operations: ImportOperations
  imports: Testbed['imports']
}

export interface ImportTarget {
  subscriptionId: string
  resourceGroup: string
  name: string
  armHost: string
  apiVersion: string
}

function throttled(status: 429 | 503, retryAfterSeconds: number): ArmError {
  const headers = { 'retry-after': String(retryAfterSeconds) }
  return status === 429
    ? new ArmError(
        429,
        'TooManyRequests',
        'The request is being throttled as the limit has been reached for operation type - Write_ObservationWindow_00:01:00. For more information, refer - https://aka.ms/armthrottling',
        headers
      )
    : new ArmError(
        503,
        'ServiceUnavailable',
        'The service is temporarily unavailable. Please retry later.',
        headers
      )
}

const linkedAuthorizationFailed = (caller: Caller, targetId: string, detail: string): ArmError =>
  new ArmError(
    403,
    'LinkedAuthorizationFailed',
    `The client '${caller.appid}' with object id '${caller.oid}' has permission to perform action '${ACTIONS.importImage}' on scope '${targetId}'; however, ${detail}`
  )

/** A source given by resource ID must be in the caller's tenant, readable by the caller, and exist. */
function checkSourceRegistry(
  deps: ImportImageDeps,
  caller: Caller,
  targetId: string,
  resourceId: string
): void {
  const source = parseRegistryResourceId(resourceId)
  const subscription = subscriptionById(source.subscriptionId)
  if (!subscription || subscription.tenantId !== caller.tid.toLowerCase()) {
    throw linkedAuthorizationFailed(
      caller,
      targetId,
      `the current tenant '${caller.tid}' is not authorized to access linked subscription '${source.subscriptionId}'.`
    )
  }
  if (!deps.can(caller.oid, ACTIONS.registryRead, resourceId)) {
    throw linkedAuthorizationFailed(
      caller,
      targetId,
      `it does not have permission to perform action 'read' on the linked scope(s) '${resourceId}' or the linked scope(s) are invalid.`
    )
  }
  if (!findRegistry(deps, source.subscriptionId, source.resourceGroup, source.name)) {
    throw new ArmError(404, 'InvalidParameters', `The source registry '${resourceId}' could not be found.`)
  }
}

export async function handleImportImage(
  deps: ImportImageDeps,
  caller: Caller,
  target: ImportTarget,
  body: Buffer,
  res: ServerResponse
): Promise<void> {
  const throttle = deps.ctx.faults.takeImportThrottle()
  if (throttle) throw throttled(throttle.status, throttle.retryAfterSeconds)
  const targetId = registryResourceId(target.subscriptionId, target.resourceGroup, target.name)
  if (!deps.can(caller.oid, ACTIONS.importImage, targetId))
    throw authorizationFailed(caller, ACTIONS.importImage, targetId)
  assertResourceGroupExists(deps, target.subscriptionId, target.resourceGroup)
  const registry = findRegistry(deps, target.subscriptionId, target.resourceGroup, target.name)
  if (!registry) {
    throw new ArmError(
      404,
      'ResourceNotFound',
      `The Resource 'Microsoft.ContainerRegistry/registries/${target.name}' under resource group '${target.resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`
    )
  }
  const request = parseImportRequest(body)
  if (request.source.resourceId) checkSourceRegistry(deps, caller, targetId, request.source.resourceId)

  deps.imports.push({ registry: registry.model.name, body: JSON.parse(body.toString('utf8')) as unknown })
  const op = deps.operations.start({
    subscriptionId: target.subscriptionId,
    armHost: target.armHost,
    location: registry.model.location,
    apiVersion: target.apiVersion,
    targetTags: targetTagsOf(request)
  })
  const failed = (detail: string) => {
    op.state = {
      kind: 'failed',
      message: `Operation ${op.name} failed. Resource ${registry.resourceId} ${detail}`
    }
  }
  const injectedFailure = deps.ctx.faults.takeImportFailure()
  if (injectedFailure !== undefined) {
    op.state = { kind: 'failed', message: injectedFailure }
  } else {
    // The tags are written when the import's server-side duration is over (faults.importDuration), and not
    // before a stall it started under is lifted (faults.stallImports).
    const beforeTagging = async () => {
      await sleepUntil(op.readyAt)
      if (op.startedWhileStalled) await deps.ctx.faults.whenImportsUnstalled()
    }
    // faults.anotherWriterOnNextImport: a concurrent writer puts another image under the tags the import writes.
    // Its content is copied first; then each of the import's tag writes is followed so closely by the other
    // writer's that no reader can see the gap: the test bed writes the other image in its place (no race in tests).
    const writer = deps.ctx.faults.takeAnotherWriter()
    const job = writer
      ? (async () => {
          const hub = deps.ctx.frontClient('docker.io', { kind: 'anonymous' })
          const others = new Map<string, { body: Buffer; mediaType: string }>()
          for (const repo of new Set(op.targetTags.map((t) => t.slice(0, t.lastIndexOf(':'))))) {
            const { digest } = await deps.ctx.copyImage(
              hub,
              writer.repo,
              writer.reference,
              registry.backend,
              repo,
              []
            )
            others.set(repo, (await registry.backend.getManifest(repo, digest))!)
          }
          const backend: OciClient = Object.create(registry.backend) as OciClient
          backend.putManifest = (repo, reference, body, mediaType) => {
            const other = op.targetTags.includes(`${repo}:${reference}`) ? others.get(repo) : undefined
            return registry.backend.putManifest(
              repo,
              reference,
              other?.body ?? body,
              other?.mediaType ?? mediaType
            )
          }
          await runImportJob(deps.ctx, { ...registry, backend }, request, beforeTagging)
        })()
      : runImportJob(deps.ctx, registry, request, beforeTagging)
    op.settled = job.then(
      () => {
        op.state = { kind: 'succeeded' }
      },
      (err: unknown) =>
        failed(
          err instanceof ImportFailure
            ? err.message
            : `Internal error: ${err instanceof Error ? err.message : String(err)}`
        )
    )
  }
  if (deps.operations.answersAtOnce(op)) return deps.operations.sendDone(res, op)
  deps.operations.sendAccepted(res, op)
}
