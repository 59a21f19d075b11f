// The three Azure clouds the test bed answers for. Every cloud's Entra and ARM hosts serve the same world (one
// set of tenants and registries), so a client configured for a sovereign cloud can be tested end to end.
import { ACR_AUDIENCE } from '../world.js'

export interface Cloud {
  name: string
  /** Entra ID hosts (the first is the one MSAL calls; the others are aliases it may be given). */
  loginHosts: string[]
  armHost: string
  /** Audiences ARM accepts, without trailing slash (the classic `management.core` one included, as real ARM). */
  armAudiences: string[]
  /** Issuer of the access tokens, as a function of the tenant. */
  tokenIssuer(tenantId: string): string
}

export const CLOUDS: Cloud[] = [
  {
    name: 'AzureCloud',
    loginHosts: ['login.microsoftonline.com'],
    armHost: 'management.azure.com',
    armAudiences: ['https://management.azure.com', 'https://management.core.windows.net'],
    tokenIssuer: (tid) => `https://sts.windows.net/${tid}/`
  },
  {
    name: 'AzureUSGovernment',
    loginHosts: ['login.microsoftonline.us'],
    armHost: 'management.usgovcloudapi.net',
    armAudiences: ['https://management.usgovcloudapi.net', 'https://management.core.usgovcloudapi.net'],
    tokenIssuer: (tid) => `https://login.microsoftonline.us/${tid}/`
  },
  {
    name: 'AzureChinaCloud',
    // MSAL knows login.chinacloudapi.cn as an alias of login.partner.microsoftonline.cn and may call either.
    loginHosts: ['login.chinacloudapi.cn', 'login.partner.microsoftonline.cn'],
    armHost: 'management.chinacloudapi.cn',
    armAudiences: ['https://management.chinacloudapi.cn', 'https://management.core.chinacloudapi.cn'],
    tokenIssuer: (tid) => `https://sts.chinacloudapi.cn/${tid}/`
  }
]

export const cloudOfLoginHost = (host: string): Cloud | undefined =>
  CLOUDS.find((c) => c.loginHosts.includes(host))

export const cloudOfArmHost = (host: string): Cloud | undefined => CLOUDS.find((c) => c.armHost === host)

/** Strips trailing slashes: Entra and ARM compare resource URIs with and without one as equal. */
export const normalizeResource = (resource: string): string => resource.replace(/\/+$/, '')

/** Resources Entra issues tokens for in every cloud of the test bed. */
export function isKnownResource(resource: string): boolean {
  const normalized = normalizeResource(resource).toLowerCase()
  return (
    normalized === ACR_AUDIENCE ||
    CLOUDS.some((c) => c.armAudiences.some((a) => a.toLowerCase() === normalized))
  )
}
