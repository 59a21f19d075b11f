// Finds an ACR in ARM as the user named it (already checked by parseRegistryInput): by resource ID with a GET,
// by name or login server through the list of registries the identity can see in the subscription, like the
// Azure CLI does.
import { isRestError } from '@azure/core-rest-pipeline'
import { describeError } from '../errors/describe-error.js'
import { IMPORTER_ROLE } from '../errors/hints.js'
import { UserError } from '../errors/user-error.js'
import type { Logger } from '../log/logger.js'
import type { ArmRegistries } from './management.js'
import { parseRegistryResourceId, registryForHost, type RegistryInfo } from './registry-info.js'
import type { RegistryInput, RegistryRole } from './registry-input.js'

/** The registry `input` names, or a UserError saying where we looked and what to check. */
export async function resolveRegistry(
  input: RegistryInput,
  role: RegistryRole,
  arm: ArmRegistries,
  subscriptionId: string | undefined
): Promise<RegistryInfo> {
  if (input.kind === 'resourceId') {
    const parts = parseRegistryResourceId(input.text)!
    try {
      const found = await arm.get(parts.subscriptionId, parts.resourceGroup, parts.name)
      if (found) return found
    } catch (err) {
      if (!(isRestError(err) && err.statusCode === 404)) throw err
    }
    throw new UserError(`The ${role} registry '${input.text}' was not found`, readHint(role))
  }
  if (!subscriptionId) {
    throw new UserError(
      `The ${role} registry '${input.text}' is given by name, and no subscription was given to look for it in`,
      'set the subscription, or give the registry by resource ID'
    )
  }
  const found = findIn(input, await arm.list(subscriptionId))
  if (!found) {
    throw new UserError(
      `The ${role} registry '${input.text}' was not found in subscription ${subscriptionId}`,
      `check the ${input.kind === 'loginServer' ? 'login server' : 'name'} and the subscription; ${readHint(role)}`
    )
  }
  return found
}

/**
 * A target registry: in the step's subscription first, then in every other subscription the identity can read,
 * so that a registry of another subscription of the tenant needs no input of its own. Each is listed once.
 */
export async function findTargetRegistry(
  input: RegistryInput,
  arm: ArmRegistries,
  subscriptionId: string | undefined,
  log: Logger
): Promise<RegistryInfo> {
  if (input.kind === 'resourceId' || !subscriptionId)
    return resolveRegistry(input, 'target', arm, subscriptionId)
  const inStep = findIn(input, await arm.list(subscriptionId))
  if (inStep) return inStep
  const others = (await subscriptionsQuietly(arm, subscriptionId, log)).filter((s) => s !== subscriptionId)
  for (const other of others) {
    const found = findIn(input, await registriesQuietly(arm, other, log))
    if (found) return found
  }
  const elsewhere =
    others.length > 0
      ? ` or in the ${others.length} other subscription${others.length === 1 ? '' : 's'} it can read`
      : ''
  throw new UserError(
    `The target registry '${input.text}' was not found in subscription ${subscriptionId}${elsewhere}`,
    `check the ${input.kind === 'loginServer' ? 'login server' : 'name'} and the subscription; ${readHint('target')}`
  )
}

function findIn(input: RegistryInput, registries: RegistryInfo[]): RegistryInfo | undefined {
  return input.kind === 'loginServer'
    ? registryForHost(input.loginServer, registries)
    : registries.find((r) => r.name.toLowerCase() === input.name)
}

/** Without the right to list subscriptions, only the step's own is searched. */
async function subscriptionsQuietly(arm: ArmRegistries, via: string, log: Logger): Promise<string[]> {
  try {
    return await arm.subscriptions(via)
  } catch (err) {
    log.debug(`Could not list the subscriptions the identity can read: ${describeError(err)}`)
    return []
  }
}

/** A subscription whose registries may not be listed is one where the registry cannot be found. */
export async function registriesQuietly(
  arm: ArmRegistries,
  subscriptionId: string,
  log: Logger
): Promise<RegistryInfo[]> {
  try {
    return await arm.list(subscriptionId)
  } catch (err) {
    log.debug(`Could not list the registries of subscription ${subscriptionId}: ${describeError(err)}`)
    return []
  }
}

/**
 * `source-registry` given by resource ID: ARM imports by resource ID even where we may not read the registry
 * ourselves (another subscription, no Reader there), so a failed read falls back to what the ID says.
 */
export async function resolveSourceRegistryById(
  input: RegistryInput,
  arm: ArmRegistries,
  log: Logger
): Promise<RegistryInfo> {
  try {
    return await resolveRegistry(input, 'source', arm, undefined)
  } catch (err) {
    if (err instanceof UserError) throw err
    log.debug(`Could not read the source registry ${input.text}: ${describeError(err)}`)
    const parts = parseRegistryResourceId(input.text)!
    return { id: input.text, ...parts, loginServer: input.loginServer }
  }
}

function readHint(role: RegistryRole): string {
  return role === 'target'
    ? `the signed-in identity needs "${IMPORTER_ROLE}" (or Contributor) on it to see it`
    : `the signed-in identity needs read on it (e.g. Reader or "${IMPORTER_ROLE}")`
}
