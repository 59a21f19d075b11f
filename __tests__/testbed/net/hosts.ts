// Host names the test bed's one TLS certificate covers. The Azure half may add to this list (it is only read
// when the certificate is issued); the host names of every mounted route are added on top of it.
export const SERVED_HOST_NAMES: string[] = [
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
  'management.azure.com',
  'management.usgovcloudapi.net',
  'management.chinacloudapi.cn',
  '*.azurecr.io',
  '*.azurecr.us',
  '*.azurecr.cn',
  'registry-1.docker.io',
  'auth.docker.io',
  'index.docker.io',
  'docker.io',
  'registry.hub.docker.com',
  'mcr.microsoft.com',
  'registry.contoso.com',
  '*.actions.githubusercontent.com',
  'token.actions.githubusercontent.com',
  'dev.azure.com',
  'vstoken.dev.azure.com',
  'localhost'
]

/** IP addresses in the certificate (clients that connect by address, not by name). */
export const SERVED_IP_ADDRESSES: string[] = ['127.0.0.1']

/** True when `host` is `pattern` or, for a `*.` pattern, a direct sub-domain of it (one label, like TLS). */
export function hostMatches(pattern: string, host: string): boolean {
  if (!pattern.startsWith('*.')) return pattern === host
  const suffix = pattern.slice(1)
  return host.endsWith(suffix) && !host.slice(0, -suffix.length).includes('.') && host.length > suffix.length
}
