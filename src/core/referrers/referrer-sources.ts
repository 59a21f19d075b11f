// Which identity reads an entry's referrers: the same as reads its image (registry/read-manifests.ts). A source
// with a password: those credentials. An ACR source (by resource ID or login server): our Entra identity, through
// an ACR refresh token bought once per registry and step. Anything else: anonymously.
import type { Cloud } from '../cloud/clouds.js'
import { describeError } from '../errors/describe-error.js'
import { ACR_REFRESH_TOKEN_USER, AcrExchangeError } from '../registry/acr-refresh-token.js'
import type { AcrTokens } from '../registry/acr-tokens.js'
import type { RegistryGateway } from '../registry/registry-gateway.js'
import type { ResolvedEntry } from '../resolve/source-access.js'
import { referrerSource, type ReferrerSource, type Unreadable } from './referrer-source.js'
import { isAbortError } from '../util/abort.js'

export interface ReferrerSources {
  /** The entry's source is an ACR read with our Entra identity (a refusal then means a missing role). */
  readsAsUs(entry: Pick<ResolvedEntry, 'reference' | 'access'>): boolean
  /** A reader of the entry's source repository, or why there is none. `acr`: read with our Entra identity. */
  forEntry(
    entry: Pick<ResolvedEntry, 'reference' | 'access'>,
    signal?: AbortSignal
  ): Promise<{ source: ReferrerSource; acr: boolean } | Unreadable>
}

export function createReferrerSources(
  cloud: Pick<Cloud, 'acrLoginSuffix'>,
  gateway: RegistryGateway,
  /** The step's ACR tokens: an ACR source is read with the registry's one refresh token. */
  acrTokens: Pick<AcrTokens, 'refreshToken'>
): ReferrerSources {
  const readsAsUs = ({ reference, access }: Pick<ResolvedEntry, 'reference' | 'access'>): boolean =>
    access.kind === 'resourceId' || (!access.credentials && reference.registry.endsWith(cloud.acrLoginSuffix))
  return {
    readsAsUs,
    async forEntry({ reference, access }, signal) {
      const { registry, repository } = reference
      if (access.kind === 'registryUri' && access.credentials) {
        return {
          source: referrerSource({ registry, repository, credentials: access.credentials, signal }, gateway),
          acr: false
        }
      }
      if (access.kind !== 'resourceId' && !registry.endsWith(cloud.acrLoginSuffix)) {
        return { source: referrerSource({ registry, repository, signal }, gateway), acr: false }
      }
      try {
        // A failed exchange is not kept: the next entry of the step tries again.
        const password = await acrTokens.refreshToken(registry, signal)
        const credentials = { username: ACR_REFRESH_TOKEN_USER, password }
        return { source: referrerSource({ registry, repository, credentials, signal }, gateway), acr: true }
      } catch (err) {
        if (isAbortError(err)) throw err
        const status = err instanceof AcrExchangeError ? err.status : undefined
        return { kind: 'unreadable', status, reason: describeError(err).replace(/\.$/, '') }
      }
    }
  }
}
