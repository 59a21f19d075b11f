// What the entries stage needs to know of the step besides what the user wrote: the registries named by the
// step's inputs and the cloud, so that a target repeating the registry's login server is understood.
import type { RegistryInput } from '../arm/registry-input.js'

export interface EntryContext {
  /** The target registry as named in `registry`; targets may repeat its login server. */
  target: RegistryInput
  /** `source-registry`, when given. */
  sourceRegistry?: RegistryInput
  /** The cloud's ACR login suffix (.azurecr.io), to read each entry's own source-registry. */
  acrLoginSuffix: string
}
