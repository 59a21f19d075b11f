// ACR's changeable attributes (`writeEnabled`, `deleteEnabled`, `readEnabled`, `listEnabled`) of tags and
// manifests, which `az acr repository update` and @azure/container-registry's updateTagProperties /
// updateManifestProperties set, and which lock an image: a write onto a write-disabled tag (a manifest PUT
// through the front, or an importImage onto it) is refused with ACR's DENIED. Distribution has no such thing,
// so the test bed keeps them here, per registry, in memory; everything starts enabled, as in ACR.
// Enforced: writeEnabled (tag: manifest PUT under the tag, import onto it; manifest: a PUT of that digest) and
// deleteEnabled (DELETE of a manifest by digest through the distribution API). readEnabled and listEnabled
// are stored and answered, not enforced (what ACR then hides or refuses is not modelled).
import type { ChangeableAttributes, ChangeableAttributeStore } from '../../../types.js'

export const ENABLED: ChangeableAttributes = {
  deleteEnabled: true,
  writeEnabled: true,
  readEnabled: true,
  listEnabled: true
}

export const ATTRIBUTE_NAMES = Object.keys(ENABLED) as (keyof ChangeableAttributes)[]

/** ACR's refusal of a write to a locked tag, manifest or repository (405, per the reference notes). */
export const DENIED_MESSAGE = 'The operation is disallowed on this registry, repository or image.'

export class AcrAttributes implements ChangeableAttributeStore {
  private readonly tags = new Map<string, ChangeableAttributes>()
  private readonly manifests = new Map<string, ChangeableAttributes>()

  tag(repository: string, tag: string): ChangeableAttributes {
    return { ...(this.tags.get(`${repository}:${tag}`) ?? ENABLED) }
  }

  manifest(repository: string, digest: string): ChangeableAttributes {
    return { ...(this.manifests.get(`${repository}@${digest}`) ?? ENABLED) }
  }

  setTag(repository: string, tag: string, change: Partial<ChangeableAttributes>): ChangeableAttributes {
    const next = { ...this.tag(repository, tag), ...defined(change) }
    this.tags.set(`${repository}:${tag}`, next)
    return { ...next }
  }

  setManifest(
    repository: string,
    digest: string,
    change: Partial<ChangeableAttributes>
  ): ChangeableAttributes {
    const next = { ...this.manifest(repository, digest), ...defined(change) }
    this.manifests.set(`${repository}@${digest}`, next)
    return { ...next }
  }
}

function defined(change: Partial<ChangeableAttributes>): Partial<ChangeableAttributes> {
  return Object.fromEntries(
    ATTRIBUTE_NAMES.filter((name) => typeof change[name] === 'boolean').map((name) => [name, change[name]])
  )
}
