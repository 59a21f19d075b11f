// The Azure SDKs log through one shared @azure/logger instance, to stderr by default, whenever AZURE_LOG_LEVEL
// (or DEBUG=azure*) is set. The SDK still decides WHAT to log; this decides WHERE: every line becomes one redacted,
// capped debug line of the host, so it shows only when debug logging is on and never carries a credential.
import { formatWithOptions, type InspectOptions } from 'node:util'
import { AzureLogger } from '@azure/logger'
import { TypeSpecRuntimeLogger } from '@typespec/ts-http-runtime'
import type { Logger } from '../log/logger.js'
import { safeText } from '../log/safe-text.js'
import { redactSecrets } from './redact-secrets.js'

// Objects passed next to the message (errors, option bags, agents) are previewed one level deep: enough to
// recognise them, not their sockets and buffers.
const PREVIEW: InspectOptions = {
  depth: 0,
  breakLength: Infinity,
  maxArrayLength: 10,
  maxStringLength: 300,
  colors: false
}

// core-rest-pipeline's request dump serialises the proxy agent after the URL, method and headers: tens of
// kilobytes of sockets and TLS state that say nothing useful and hold raw request text. The dump ends there.
const PROXY_AGENT = /"agent":\s*\{/

/** One SDK log call as a debug line: formatted like the SDK would, proxy agent dropped, credentials masked, capped. */
export function sdkLogLine(args: unknown[]): string {
  const text = formatWithOptions(PREVIEW, ...args)
  const agent = text.search(PROXY_AGENT)
  const kept = agent < 0 ? text : `${text.slice(0, agent)}"agent": (omitted) }`
  return safeText(redactSecrets(kept))
}

/**
 * Sends every Azure SDK log line to `log.debug` (redacted) instead of stderr. Call it before any client exists.
 * The HTTP runtime under the SDKs has a logger of its own (TYPESPEC_RUNTIME_LOG_LEVEL); it is routed the same way.
 */
export function routeAzureSdkLogs(log: Logger): void {
  const toDebug = (...args: unknown[]): void => log.debug(sdkLogLine(args))
  AzureLogger.log = toDebug
  TypeSpecRuntimeLogger.log = toDebug
}
