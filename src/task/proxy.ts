// An agent behind a corporate proxy knows it (Agent.ProxyUrl, set with `config.sh --proxyurl`), but tasks only
// see it as variables. The Azure SDKs and our own HTTP calls follow HTTPS_PROXY/HTTP_PROXY, so the agent's proxy
// is copied there before any client is built, and its bypass list into NO_PROXY. A proxy already set in the
// environment is left as it is.
import * as tl from 'azure-pipelines-task-lib/task.js'
import { noProxyFromBypassList } from './proxy-bypass.js'
import { quietly, registerSecret } from './secrets.js'

export function applyAgentProxy(): void {
  if (process.env.HTTPS_PROXY || process.env.https_proxy) return
  // task-lib debug-prints the variables it reads, the proxy password among them.
  const config = quietly(() => tl.getHttpProxyConfiguration())
  if (!config?.proxyFormattedUrl) return
  if (config.proxyPassword) {
    registerSecret(config.proxyPassword)
    registerSecret(config.proxyFormattedUrl)
  }
  process.env.HTTPS_PROXY = config.proxyFormattedUrl
  process.env.HTTP_PROXY = config.proxyFormattedUrl
  tl.debug(`Using the agent's proxy ${config.proxyUrl} for every Azure request.`)
  applyBypassList(config.proxyBypassHosts ?? [])
}

function applyBypassList(patterns: string[]): void {
  const { entries, skipped } = noProxyFromBypassList(patterns)
  const existing = process.env.NO_PROXY || process.env.no_proxy
  if (entries.length > 0) {
    process.env.NO_PROXY = [existing, ...entries].filter(Boolean).join(',')
    tl.debug(`Not using the proxy for: ${entries.join(', ')}`)
  }
  if (skipped.length > 0) {
    tl.warning(
      `The agent's proxy bypass patterns ${skipped.join(', ')} are regular expressions that NO_PROXY cannot express; ` +
        'requests to those hosts go through the proxy'
    )
  }
}
