// Which service answered a request, from the URL it was sent to. A hint must follow from the service that
// answered: a 429 from ARM is ARM's throttling, never Docker Hub's pull limit.

export type AnsweringService = 'arm' | 'entra-id' | 'acr-token' | 'acr' | 'docker-hub' | 'other'

const DOCKER_HUB_HOSTS = [
  'registry-1.docker.io',
  'auth.docker.io',
  'docker.io',
  'index.docker.io',
  'registry.hub.docker.com'
]

/** The service behind `url` (a request's URL, or only its host name). */
export function answeringService(url: string | undefined): AnsweringService | undefined {
  if (!url) return undefined
  const { host, path } = hostAndPath(url)
  if (!host) return undefined
  // Public and sovereign ARM (management.azure.com, management.chinacloudapi.cn, ...) and Azure Stack Hub's.
  if (/^(admin)?management\./.test(host)) return 'arm'
  if (/^login\./.test(host) || host === 'sts.windows.net') return 'entra-id'
  if (/\.azurecr\.[a-z.]+$/.test(host))
    return /^\/oauth2\/(exchange|token)\b/.test(path) ? 'acr-token' : 'acr'
  if (DOCKER_HUB_HOSTS.includes(host)) return 'docker-hub'
  return 'other'
}

/** The host name of a URL `url` (lower case), or undefined when it is not a URL. */
export function urlHost(url: string | undefined): string | undefined {
  return url ? hostAndPath(url).host || undefined : undefined
}

function hostAndPath(url: string): { host: string; path: string } {
  try {
    const parsed = new URL(url.includes('://') ? url : `https://${url}`)
    return { host: parsed.hostname.toLowerCase(), path: parsed.pathname }
  } catch {
    return { host: '', path: '' }
  }
}
