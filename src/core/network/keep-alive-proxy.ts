// Behind an HTTPS proxy, keep the tunnels alive. The Azure SDKs' proxy policy decides which requests go through
// the proxy (HTTPS_PROXY, ALL_PROXY, HTTP_PROXY, NO_PROXY) and hands each a tunnelling agent, but one made per
// client and without keep-alive: every request opens a new CONNECT tunnel and a new TLS session, where a runner
// without a proxy reuses its connections. A batch of 50 imports spent about 1.5 s of CPU on those handshakes.
// This policy runs after the SDK's (a `perCall` policy comes after it in every pipeline) and swaps that agent for
// one keep-alive agent per proxy that every client of the step shares. The SDK still decides who is proxied, so
// NO_PROXY keeps its exact meaning; requests it does not proxy are left alone (they already keep alive).
import type { PipelinePolicy } from '@azure/core-rest-pipeline'
import { HttpsProxyAgent } from 'https-proxy-agent'

/**
 * A keep-alive tunnelling agent for https targets only (only the SDK's https agent is swapped for it). agent-base
 * otherwise guesses on every call whether the target is https, from the options or from the call stack, and the
 * guesses differ between the request and its freed connection: the pool names them apart and never reuses one.
 */
class KeepAliveTunnels extends HttpsProxyAgent<string> {
  override isSecureEndpoint(): boolean {
    return true
  }
}

const sharedAgents = new Map<string, KeepAliveTunnels>()

/** The step's keep-alive agent for `proxy` (credentials included: they are part of which proxy it is). */
function sharedAgentFor(proxy: URL): KeepAliveTunnels {
  let agent = sharedAgents.get(proxy.href)
  if (!agent) {
    agent = new KeepAliveTunnels(proxy.href, { keepAlive: true })
    sharedAgents.set(proxy.href, agent)
  }
  return agent
}

export const keepAliveProxyPolicy: PipelinePolicy = {
  name: 'acrImportKeepAliveProxyPolicy',
  sendRequest(request, next) {
    // Only the SDK's own https tunnelling agent is swapped; a plain-http platform endpoint keeps its agent.
    if (request.agent instanceof HttpsProxyAgent) request.agent = sharedAgentFor(request.agent.proxy)
    return next(request)
  }
}

/** For an SDK client's `additionalPolicies`: after the SDK's proxy policy, once per request (not per retry). */
export const keepAliveProxy = { policy: keepAliveProxyPolicy, position: 'perCall' } as const
