// The policies every Azure SDK client of the step carries (ARM, the ACR data plane, Entra ID): behind a proxy,
// kept-alive tunnels; and throttled answers waited out at the service's pacer within the entry's time.
import { keepAliveProxy } from './keep-alive-proxy.js'
import { throttleRetryPolicy, type ThrottledService } from './throttle-retry-policy.js'

export function clientPolicies(service: ThrottledService) {
  return [keepAliveProxy, { policy: throttleRetryPolicy(service), position: 'perRetry' as const }]
}
