// The ARM import itself (registries/importImage, a long-running operation). ACR imports are known to hang
// in "Running" forever, so every import has a client-side time limit.
import type { ImportImageParameters } from '@azure/arm-containerregistry'
import { UserError } from '../errors/user-error.js'
import type { ArmRegistries } from './management.js'
import type { RegistryInfo } from './registry-info.js'

/** core-lro polls every 2 s by default; 1 s notices completion sooner. Retry-After on a poll still wins. */
const POLL_INTERVAL_MS = 1000

export interface ImportOptions {
  wait: boolean
  timeoutSeconds: number
  signal?: AbortSignal
  /** For messages: the source as the user knows it. */
  sourceName: string
}

/** Imports and waits (status 'imported'), or only starts the import when wait is false ('queued'). */
export async function importImage(
  arm: ArmRegistries,
  target: RegistryInfo,
  parameters: ImportImageParameters,
  options: ImportOptions
): Promise<'imported' | 'queued'> {
  const timeout = AbortSignal.timeout(options.timeoutSeconds * 1000)
  const abortSignal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout
  const poller = arm
    .client(target.subscriptionId)
    .registries.importImage(target.resourceGroup, target.name, parameters, {
      updateIntervalInMs: POLL_INTERVAL_MS,
      abortSignal
    })
  try {
    if (!options.wait) {
      await poller.submitted()
      return 'queued'
    }
    await poller.pollUntilDone({ abortSignal })
    return 'imported'
  } catch (err) {
    if (timeout.aborted && !options.signal?.aborted) {
      throw new UserError(
        `Import of ${options.sourceName} into ${target.loginServer} did not finish within ${options.timeoutSeconds} s`,
        'the operation may still complete in Azure; raise timeout, or check the registry for the tag'
      )
    }
    throw err
  }
}
