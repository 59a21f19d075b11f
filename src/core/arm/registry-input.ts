// A registry as the user names it in `registry` or `source-registry`: an ARM resource ID, a login server, or a
// name. Checked here, before the network, so a typo is one clear line instead of an ARM search that finds
// nothing. The login server follows from the name: ACR serves every registry at <name><cloud suffix>.
import { UserError } from '../errors/user-error.js'
import { isGuid } from '../util/guid.js'
import { looksLikeResourceId, parseRegistryResourceId } from './registry-info.js'

export type RegistryRole = 'target' | 'source'

export interface RegistryInput {
  /** As the user wrote it, trimmed. */
  text: string
  kind: 'resourceId' | 'loginServer' | 'name'
  /** Lower case registry name. */
  name: string
  /** The login server it must have: <name><suffix>, or the login server given (maybe a regional endpoint). */
  loginServer: string
}

/** ACR names: 5 to 50 letters and digits (Microsoft.ContainerRegistry naming rules). */
const REGISTRY_NAME = /^[a-zA-Z0-9]{5,50}$/

export function parseRegistryInput(text: string, role: RegistryRole, acrLoginSuffix: string): RegistryInput {
  const given = text.trim()
  const input = role === 'target' ? 'registry' : 'source-registry'
  if (looksLikeResourceId(given)) {
    const parts = parseRegistryResourceId(given)
    if (!parts || !isGuid(parts.subscriptionId) || !REGISTRY_NAME.test(parts.name)) {
      throw new UserError(
        `'${given}' is not a container registry resource ID`,
        'write it as /subscriptions/<subscription GUID>/resourceGroups/<group>/providers/Microsoft.ContainerRegistry/registries/<name>'
      )
    }
    const name = parts.name.toLowerCase()
    return { text: given, kind: 'resourceId', name, loginServer: `${name}${acrLoginSuffix}` }
  }
  const lower = given.toLowerCase()
  if (lower.includes('.') || lower.includes('/') || lower.includes(':')) {
    const label = acrNameOf(lower, acrLoginSuffix)
    if (label === undefined) {
      throw new UserError(
        `Input '${input}' is '${given}', which is not an Azure Container Registry login server of this cloud`,
        `give the registry's name, its login server (<name>${acrLoginSuffix}, no scheme or path) or its resource ID`
      )
    }
    return { text: given, kind: 'loginServer', name: label, loginServer: lower }
  }
  if (!REGISTRY_NAME.test(given)) {
    throw new UserError(
      `Input '${input}' is '${given}', which is not a registry name`,
      'registry names are 5 to 50 letters and digits; give the name, the login server or the resource ID'
    )
  }
  return { text: given, kind: 'name', name: lower, loginServer: `${lower}${acrLoginSuffix}` }
}

/** The registry name of an ACR login server of this cloud (`<name><suffix>`, no scheme, port or path), else undefined. */
export function acrNameOf(host: string, acrLoginSuffix: string): string | undefined {
  const lower = host.toLowerCase()
  const label = lower.slice(0, lower.indexOf('.'))
  return lower.endsWith(acrLoginSuffix) && !/[/:]/.test(lower) && REGISTRY_NAME.test(label)
    ? label
    : undefined
}
