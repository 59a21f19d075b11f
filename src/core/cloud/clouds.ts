// The endpoints and audiences of each Azure cloud. Sovereign clouds differ in every one of them, and a wrong
// audience only shows up as a confusing AADSTS error, so they are kept together here, in one table.
import { UserError } from '../errors/user-error.js'

export interface Cloud {
  /** Environment name as the user spells it in `environment` (AzureCloud, AzureUSGovernment, ...). */
  name: string
  /** ARM endpoint without a trailing slash, e.g. https://management.azure.com. */
  armEndpoint: string
  /** Token scope for ARM, e.g. https://management.azure.com/.default (one slash, never two). */
  armScope: string
  /** Entra ID authority host, e.g. https://login.microsoftonline.com. */
  authorityHost: string
  /** Suffix of the cloud's ACR login servers, with its leading dot (.azurecr.io). */
  acrLoginSuffix: string
  /** Audience of the Entra token exchanged for an ACR token (data plane reads). */
  acrAudience: string
  /** Audience a federated (OIDC) assertion must carry for this cloud's Entra ID. */
  federatedAudience: string
  /** True for an authority Entra ID's instance discovery does not know (Azure Stack Hub, ADFS). */
  customAuthority: boolean
}

export interface CloudOptions {
  /** AzureCloud (default), AzureUSGovernment, AzureChinaCloud or AzureStack. */
  environment?: string
  /** Explicit ARM endpoint (Azure Stack Hub; overrides the environment's). */
  armEndpoint?: string
  /** Explicit authority host (Azure Stack Hub / ADFS; overrides the environment's). */
  authorityHost?: string
  /** Explicit ACR login server suffix (Azure Stack Hub). */
  acrSuffix?: string
  /** Explicit audience of the federated assertion (overrides the environment's). */
  audience?: string
  /** Explicit audience for ACR data plane tokens. */
  acrAudience?: string
}

type KnownCloud = Omit<Cloud, 'armScope' | 'customAuthority'>

const KNOWN_CLOUDS: KnownCloud[] = [
  {
    name: 'AzureCloud',
    armEndpoint: 'https://management.azure.com',
    authorityHost: 'https://login.microsoftonline.com',
    acrLoginSuffix: '.azurecr.io',
    acrAudience: 'https://containerregistry.azure.net',
    federatedAudience: 'api://AzureADTokenExchange'
  },
  {
    // Sovereign registries take an ARM-audience token for the exchange (azureADAuthenticationAsArmPolicy).
    name: 'AzureUSGovernment',
    armEndpoint: 'https://management.usgovcloudapi.net',
    authorityHost: 'https://login.microsoftonline.us',
    acrLoginSuffix: '.azurecr.us',
    acrAudience: 'https://management.usgovcloudapi.net',
    federatedAudience: 'api://AzureADTokenExchangeUSGov'
  },
  {
    name: 'AzureChinaCloud',
    armEndpoint: 'https://management.chinacloudapi.cn',
    authorityHost: 'https://login.chinacloudapi.cn',
    acrLoginSuffix: '.azurecr.cn',
    acrAudience: 'https://management.chinacloudapi.cn',
    federatedAudience: 'api://AzureADTokenExchangeChina'
  }
]

/** Valid `environment` values, for hints. */
export const CLOUD_NAMES = [...KNOWN_CLOUDS.map((c) => c.name), 'AzureStack']

/** Picks a cloud by name and applies explicit endpoints on top. Unknown names are a UserError. */
export function resolveCloud(options: CloudOptions): Cloud {
  const requested = (options.environment ?? '').trim() || 'AzureCloud'
  const isStack = requested.toLowerCase() === 'azurestack'
  const known = KNOWN_CLOUDS.find((c) => c.name.toLowerCase() === requested.toLowerCase())
  if (!known && !isStack) {
    throw new UserError(`Unknown environment '${requested}'`, `use one of ${CLOUD_NAMES.join(', ')}`)
  }
  const armEndpoint = trimSlash(options.armEndpoint) ?? known?.armEndpoint
  const authorityHost = trimSlash(options.authorityHost) ?? known?.authorityHost
  if (!armEndpoint || !authorityHost) {
    throw new UserError(
      'Environment AzureStack needs its endpoints',
      'set the ARM endpoint and the authority host of your Azure Stack Hub'
    )
  }
  validateUrl(armEndpoint, 'ARM endpoint')
  validateUrl(authorityHost, 'authority host')
  const acrLoginSuffix =
    normaliseSuffix(options.acrSuffix) ?? known?.acrLoginSuffix ?? suffixFromArm(armEndpoint)
  return {
    name: known?.name ?? 'AzureStack',
    armEndpoint,
    armScope: `${armEndpoint}/.default`,
    authorityHost,
    acrLoginSuffix,
    // A custom cloud's ACR accepts a token for its own ARM audience.
    acrAudience: trimSlash(options.acrAudience) ?? known?.acrAudience ?? armEndpoint,
    federatedAudience: options.audience?.trim() || known?.federatedAudience || 'api://AzureADTokenExchange',
    customAuthority: !KNOWN_CLOUDS.some((c) => c.authorityHost === authorityHost.toLowerCase())
  }
}

function trimSlash(url: string | undefined): string | undefined {
  const trimmed = url?.trim().replace(/\/+$/, '')
  return trimmed ? trimmed : undefined
}

function normaliseSuffix(suffix: string | undefined): string | undefined {
  const trimmed = suffix?.trim().toLowerCase()
  if (!trimmed) return undefined
  return trimmed.startsWith('.') ? trimmed : `.${trimmed}`
}

/** Azure Stack Hub: management.<region>.<fqdn> serves registries at <name>.azsacr.<region>.<fqdn>. */
function suffixFromArm(armEndpoint: string): string {
  const host = new URL(armEndpoint).hostname
  return `.azsacr.${host.replace(/^management\./, '')}`
}

function validateUrl(value: string, what: string): void {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new UserError(`The ${what} '${value}' is not a URL`, 'give it as https://host')
  }
  if (url.protocol !== 'https:') {
    throw new UserError(`The ${what} '${value}' is not https`, 'Azure endpoints are only reached over https')
  }
}
