// Role-based access control over world.ROLE_ASSIGNMENTS: an assignment applies to its scope and everything
// below it, exactly as Azure RBAC inherits down subscription -> resource group -> resource.
import { ROLE_ACTIONS, ROLE_ASSIGNMENTS, type RoleName } from '../world.js'

export interface RoleAssignment {
  principalObjectId: string
  scope: string
  role: RoleName
}

/** True when `scope` is `resourceId` or one of its ancestors (case-insensitive, at a `/` boundary). */
export function scopeCovers(scope: string, resourceId: string): boolean {
  const s = scope.replace(/\/+$/, '').toLowerCase()
  const r = resourceId.replace(/\/+$/, '').toLowerCase()
  return r === s || r.startsWith(`${s}/`)
}

const roleGrants = (role: RoleName, action: string): boolean =>
  ROLE_ACTIONS[role].some((granted) => granted === '*' || granted.toLowerCase() === action.toLowerCase())

export function createRbac(assignments: RoleAssignment[] = ROLE_ASSIGNMENTS) {
  return {
    can(principalObjectId: string, action: string, resourceId: string): boolean {
      return assignments.some(
        (a) =>
          a.principalObjectId.toLowerCase() === principalObjectId.toLowerCase() &&
          scopeCovers(a.scope, resourceId) &&
          roleGrants(a.role, action)
      )
    }
  }
}

export const ACTIONS = {
  registryRead: 'Microsoft.ContainerRegistry/registries/read',
  importImage: 'Microsoft.ContainerRegistry/registries/importImage/action'
} as const
