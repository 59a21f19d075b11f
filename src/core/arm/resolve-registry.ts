// Finds an ACR given as the user wrote it: ARM resource ID, login server, or name (the last two through the
// list of registries the identity can see in the subscription, like the Azure CLI does).
import { isRestError } from '@azure/core-rest-pipeline'
import { UserError } from '../errors/user-error.js'
import type { ArmRegistries } from './management.js'
import {
  looksLikeResourceId,
  parseRegistryResourceId,
  registryForHost,
  type RegistryInfo
} from './registry-info.js'

export type RegistryRole = 'target' | 'source'

/** The registry `text` names, or a UserError saying where we looked and what to check. */
export async function resolveRegistry(
  text: string,
  role: RegistryRole,
  arm: ArmRegistries,
  subscriptionId: string | undefined
): Promise<RegistryInfo> {
  const given = text.trim()
  if (!given)
    throw new UserError(
      `No ${role} registry was given`,
      'set it to a registry name, login server or resource ID'
    )
  if (looksLikeResourceId(given)) {
    const parts = parseRegistryResourceId(given)
    if (!parts) {
      throw new UserError(
        `'${given}' is not a container registry resource ID`,
        'write it as /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.ContainerRegistry/registries/<name>'
      )
    }
    try {
      const found = await arm.get(parts.subscriptionId, parts.resourceGroup, parts.name)
      if (found) return found
    } catch (err) {
      if (!(isRestError(err) && err.statusCode === 404)) throw err
    }
    throw new UserError(`The ${role} registry '${given}' was not found`, readHint(role))
  }
  if (!subscriptionId) {
    throw new UserError(
      `The ${role} registry '${given}' is given by name, and no subscription was given to look for it in`,
      'set the subscription, or give the registry by resource ID'
    )
  }
  const registries = await arm.list(subscriptionId)
  const lower = given.toLowerCase()
  const found = lower.includes('.')
    ? registryForHost(lower, registries)
    : registries.find((r) => r.name.toLowerCase() === lower)
  if (!found) {
    throw new UserError(
      `The ${role} registry '${given}' was not found in subscription ${subscriptionId}`,
      `check the ${lower.includes('.') ? 'login server' : 'name'} and the subscription; ${readHint(role)}`
    )
  }
  return found
}

function readHint(role: RegistryRole): string {
  return role === 'target'
    ? 'the signed-in identity needs "Container Registry Data Importer and Data Reader" (or Contributor) on it to see it'
    : 'the signed-in identity needs read on it (e.g. Reader or "Container Registry Data Importer and Data Reader")'
}
