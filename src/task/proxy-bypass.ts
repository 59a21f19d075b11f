// The agent's proxy bypass list (Agent.ProxyBypassList, from its .proxybypass file) holds regular expressions;
// the Azure SDKs and our HTTP calls understand NO_PROXY, a list of host names and domain suffixes. The patterns
// that are plainly a host or a domain (`dev\.contoso\.com`, `.*\.contoso\.com`, `^localhost$`) translate
// exactly; any other regular expression is reported back so the task can say it was not applied.

const HOST_OR_DOMAIN = /^\.?[a-z0-9-]+(\.[a-z0-9-]+)*(:\d+)?$/i

export interface NoProxyTranslation {
  /** NO_PROXY entries, e.g. `dev.contoso.com`, `.contoso.com`. */
  entries: string[]
  /** Patterns that are real regular expressions, with no NO_PROXY equivalent. */
  skipped: string[]
}

export function noProxyFromBypassList(patterns: string[]): NoProxyTranslation {
  const entries: string[] = []
  const skipped: string[] = []
  for (const pattern of patterns) {
    const entry = pattern
      .trim()
      .replace(/^\^/, '')
      .replace(/\$$/, '')
      .replace(/^\.\*\\?\./, '.') // `.*\.contoso\.com`: any sub-domain of contoso.com
      .replace(/\\\./g, '.')
    if (HOST_OR_DOMAIN.test(entry)) entries.push(entry.toLowerCase())
    else if (pattern.trim()) skipped.push(pattern)
  }
  return { entries, skipped }
}
