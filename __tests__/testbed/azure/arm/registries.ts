// ARM reads of registries: get, list by subscription or resource group, and the generic resource list the Azure
// CLI uses to find a registry by name. Lists hold only what the caller may read, as real ARM filters them.
import type { RegistryRuntime } from '../../types.js'
import { ACTIONS } from '../rbac.js'
import { authorizationFailed, type Caller } from './authenticate.js'
import { ArmError } from './errors.js'
import { genericResource, registryResource } from './registryResource.js'

export interface RegistryReadDeps {
  registries: Map<string, RegistryRuntime>
  can(principalObjectId: string, action: string, resourceId: string): boolean
}

const sameText = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase()

/** The registry at (subscription, resource group, name), compared case-insensitively as ARM does. */
export function findRegistry(
  deps: RegistryReadDeps,
  subscriptionId: string,
  resourceGroup: string,
  name: string
): RegistryRuntime | undefined {
  const registry = deps.registries.get(name.toLowerCase())
  return registry &&
    sameText(registry.model.subscriptionId, subscriptionId) &&
    sameText(registry.model.resourceGroup, resourceGroup)
    ? registry
    : undefined
}

/** Resource groups exist where registries are (the world has no empty resource group). */
function resourceGroupExists(deps: RegistryReadDeps, subscriptionId: string, resourceGroup: string): boolean {
  return [...deps.registries.values()].some(
    (r) => sameText(r.model.subscriptionId, subscriptionId) && sameText(r.model.resourceGroup, resourceGroup)
  )
}

/** ARM's answer for anything under a resource group that does not exist (after the authorization check). */
export function assertResourceGroupExists(
  deps: RegistryReadDeps,
  subscriptionId: string,
  resourceGroup: string
): void {
  if (!resourceGroupExists(deps, subscriptionId, resourceGroup)) {
    throw new ArmError(404, 'ResourceGroupNotFound', `Resource group '${resourceGroup}' could not be found.`)
  }
}

export const registryResourceId = (subscriptionId: string, resourceGroup: string, name: string): string =>
  `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.ContainerRegistry/registries/${name}`

export function getRegistry(
  deps: RegistryReadDeps,
  caller: Caller,
  subscriptionId: string,
  resourceGroup: string,
  name: string
): Record<string, unknown> {
  const scope = registryResourceId(subscriptionId, resourceGroup, name)
  if (!deps.can(caller.oid, ACTIONS.registryRead, scope))
    throw authorizationFailed(caller, ACTIONS.registryRead, scope)
  assertResourceGroupExists(deps, subscriptionId, resourceGroup)
  const registry = findRegistry(deps, subscriptionId, resourceGroup, name)
  if (!registry) {
    throw new ArmError(
      404,
      'ResourceNotFound',
      `The Resource 'Microsoft.ContainerRegistry/registries/${name}' under resource group '${resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`
    )
  }
  return registryResource(registry)
}

function readableRegistries(
  deps: RegistryReadDeps,
  caller: Caller,
  subscriptionId: string,
  resourceGroup?: string
): RegistryRuntime[] {
  return [...deps.registries.values()].filter(
    (r) =>
      sameText(r.model.subscriptionId, subscriptionId) &&
      (resourceGroup === undefined || sameText(r.model.resourceGroup, resourceGroup)) &&
      deps.can(caller.oid, ACTIONS.registryRead, r.resourceId)
  )
}

export function listRegistries(
  deps: RegistryReadDeps,
  caller: Caller,
  subscriptionId: string,
  resourceGroup?: string
): { value: unknown[] } {
  if (resourceGroup !== undefined) assertResourceGroupExists(deps, subscriptionId, resourceGroup)
  return { value: readableRegistries(deps, caller, subscriptionId, resourceGroup).map(registryResource) }
}

/** GET /subscriptions/{sub}/resources?$filter=resourceType eq '...': registries are the only resources here. */
export function listResources(
  deps: RegistryReadDeps,
  caller: Caller,
  subscriptionId: string,
  filter: string | null
): { value: unknown[] } {
  const type = /resourceType\s+eq\s+'([^']+)'/i.exec(filter ?? '')?.[1]
  if (type && !sameText(type, 'Microsoft.ContainerRegistry/registries')) return { value: [] }
  return { value: readableRegistries(deps, caller, subscriptionId).map(genericResource) }
}
