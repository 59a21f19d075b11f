// Azure Resource Manager on management.azure.com (and the sovereign clouds' ARM hosts): the registry reads,
// importImage and its operation results, plus the subscription reads clients use to look around.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { HostHandler, HostRoutes } from '../../types.js'
import { CLOUDS, type Cloud } from '../clouds.js'
import type { AccessTokens } from '../entra/accessTokens.js'
import { pathSegments, requestHost, requestUrl, sendJson } from '../http.js'
import { scopeCovers } from '../rbac.js'
import { assertSubscriptionAccess, authenticate, type Caller } from './authenticate.js'
import { ArmError, sendArmError } from './errors.js'
import { handleImportImage, type ImportImageDeps } from './importImage.js'
import { getRegistry, listRegistries, listResources } from './registries.js'
import { SUBSCRIPTIONS } from './subscriptions.js'
import { ROLE_ASSIGNMENTS } from '../../world.js'

const REGISTRIES = 'providers/Microsoft.ContainerRegistry/registries'
const ROUTES = {
  subscriptions: 'subscriptions',
  subscription: 'subscriptions/{sub}',
  resources: 'subscriptions/{sub}/resources',
  registriesBySubscription: `subscriptions/{sub}/${REGISTRIES}`,
  registriesByGroup: `subscriptions/{sub}/resourceGroups/{rg}/${REGISTRIES}`,
  registry: `subscriptions/{sub}/resourceGroups/{rg}/${REGISTRIES}/{name}`,
  importImage: `subscriptions/{sub}/resourceGroups/{rg}/${REGISTRIES}/{name}/importImage`,
  operationResult:
    'subscriptions/{sub}/providers/Microsoft.ContainerRegistry/locations/{location}/operationResults/{op}'
}

/** Matches path segments against a pattern; literals compare case-insensitively, as ARM does. */
function matchRoute(segments: string[], pattern: string): Record<string, string> | undefined {
  const parts = pattern.split('/')
  if (parts.length !== segments.length) return undefined
  const params: Record<string, string> = {}
  for (const [i, part] of parts.entries()) {
    if (part.startsWith('{')) params[part.slice(1, -1)] = segments[i]
    else if (part.toLowerCase() !== segments[i].toLowerCase()) return undefined
  }
  return params
}

export interface ArmDeps extends ImportImageDeps {
  tokens: AccessTokens
}

/** Subscriptions where the caller holds any role, as ARM lists them. */
const visibleSubscriptions = (caller: Caller) =>
  SUBSCRIPTIONS.filter(
    (s) =>
      s.tenantId === caller.tid.toLowerCase() &&
      ROLE_ASSIGNMENTS.some(
        (a) => a.principalObjectId === caller.oid && scopeCovers(`/subscriptions/${s.id}`, a.scope)
      )
  )

const subscriptionResource = (s: (typeof SUBSCRIPTIONS)[number]) => ({
  id: `/subscriptions/${s.id}`,
  subscriptionId: s.id,
  tenantId: s.tenantId,
  displayName: s.displayName,
  state: 'Enabled',
  subscriptionPolicies: {
    locationPlacementId: 'Public_2014-09-01',
    quotaId: 'EnterpriseAgreement_2014-09-01',
    spendingLimit: 'Off'
  },
  authorizationSource: 'RoleBased'
})

/** ARM's buckets: GETs are reads, POST/PUT/PATCH writes (DELETEs have their own bucket, not modelled). */
function throttle(
  deps: ArmDeps,
  caller: Caller,
  subscriptionId: string,
  method: string,
  res: ServerResponse
) {
  const kind = method === 'GET' || method === 'HEAD' ? 'read' : method === 'DELETE' ? undefined : 'write'
  if (!kind) return
  const decision = deps.ctx.faults.takeArmRequest({ kind, subscriptionId, principalId: caller.oid })
  if (!decision.allowed) {
    const seconds = decision.retryAfterSeconds
    throw new ArmError(
      429,
      'SubscriptionRequestsThrottled',
      `Number of '${kind}' requests for subscription '${subscriptionId}' actor '${caller.oid}' exceeded. Please try again after '${seconds}' seconds after additional tokens are available. Refer to https://aka.ms/arm-throttling`,
      { 'retry-after': String(seconds) }
    )
  }
  // Set now, sent with whatever the handler answers.
  if (decision.header) res.setHeader(decision.header.name, String(decision.header.remaining))
}

function route(
  deps: ArmDeps,
  cloud: Cloud,
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer
): void | Promise<void> {
  const url = requestUrl(req)
  const apiVersion = url.searchParams.get('api-version')
  if (!apiVersion) {
    throw new ArmError(
      400,
      'MissingApiVersionParameter',
      'The api-version query parameter (?api-version=) is required for all requests.'
    )
  }
  const caller = authenticate(req, deps.tokens, cloud)
  const segments = pathSegments(url)
  const method = req.method ?? 'GET'
  const is = (m: string, pattern: string) => (method === m ? matchRoute(segments, pattern) : undefined)
  let p: Record<string, string> | undefined

  if (is('GET', ROUTES.subscriptions)) {
    return sendJson(res, 200, { value: visibleSubscriptions(caller).map(subscriptionResource) })
  }
  // Everything below a subscription needs a token of that subscription's tenant, and counts against the
  // subscription's throttling buckets.
  if (segments.length >= 2 && segments[0].toLowerCase() === 'subscriptions') {
    assertSubscriptionAccess(caller, segments[1])
    throttle(deps, caller, segments[1], method, res)
  }
  if ((p = is('GET', ROUTES.subscription))) {
    const subscription = visibleSubscriptions(caller).find((s) => s.id === p?.sub.toLowerCase())
    if (!subscription)
      throw new ArmError(404, 'SubscriptionNotFound', `The subscription '${p.sub}' could not be found.`)
    return sendJson(res, 200, subscriptionResource(subscription))
  }
  if ((p = is('GET', ROUTES.resources))) {
    return sendJson(res, 200, listResources(deps, caller, p.sub, url.searchParams.get('$filter')))
  }
  if ((p = is('GET', ROUTES.registriesBySubscription)))
    return sendJson(res, 200, listRegistries(deps, caller, p.sub))
  if ((p = is('GET', ROUTES.registriesByGroup)))
    return sendJson(res, 200, listRegistries(deps, caller, p.sub, p.rg))
  if ((p = is('GET', ROUTES.registry)))
    return sendJson(res, 200, getRegistry(deps, caller, p.sub, p.rg, p.name))
  if ((p = is('POST', ROUTES.importImage))) {
    const target = {
      subscriptionId: p.sub,
      resourceGroup: p.rg,
      name: p.name,
      armHost: requestHost(req),
      apiVersion
    }
    return handleImportImage(deps, caller, target, body, res)
  }
  if ((p = is('GET', ROUTES.operationResult))) {
    const op = deps.operations.find(p.op)
    if (!op || op.subscriptionId.toLowerCase() !== p.sub.toLowerCase()) {
      throw new ArmError(404, 'ResourceNotFound', `The operation '${p.op}' was not found.`)
    }
    return deps.operations.sendPoll(res, op)
  }
  throw new ArmError(
    404,
    'InvalidResourceType',
    `The resource type or path '${url.pathname}' could not be found for method ${method}.`
  )
}

export function createArmRoutes(deps: ArmDeps): HostRoutes {
  const handlerFor =
    (cloud: Cloud): HostHandler =>
    async (req, res, body) => {
      try {
        await route(deps, cloud, req, res, body)
      } catch (err) {
        if (err instanceof ArmError) return sendArmError(res, err)
        throw err
      }
    }
  return Object.fromEntries(CLOUDS.map((cloud) => [cloud.armHost, handlerFor(cloud)]))
}
