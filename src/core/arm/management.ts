// ARM access: one ContainerRegistryManagementClient per subscription, always with the cloud's ARM scope
// (the SDK's default scope is `${endpoint}/.default`, wrong for sovereign clouds and custom endpoints).
import { ContainerRegistryManagementClient } from '@azure/arm-containerregistry'
import type { TokenCredential } from '@azure/core-auth'
import {
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineRequest,
  type HttpClient,
  type PipelineResponse
} from '@azure/core-rest-pipeline'
import type { Cloud } from '../cloud/clouds.js'
import { toRegistryInfo, type RegistryInfo } from './registry-info.js'
import { clientPolicies } from '../network/client-policies.js'

/** A request of our own through a client's pipeline (its sign-in, proxy, api-version and retries). */
export interface ArmRequest {
  method: 'GET' | 'POST'
  /** A path under the ARM endpoint (`/subscriptions/...`) or an absolute URL ARM gave (a Location). */
  url: string
  body?: unknown
  signal?: AbortSignal
}

/** Microsoft.Resources subscriptions list, GA (the version the Azure CLI's `az account list --refresh` uses). */
const SUBSCRIPTIONS_API_VERSION = '2022-12-01'

export class ArmRegistries {
  private readonly clients = new Map<string, ContainerRegistryManagementClient>()
  private readonly listed = new Map<string, Promise<RegistryInfo[]>>()
  private subscriptionList?: Promise<string[]>
  private httpClient?: HttpClient

  constructor(
    private readonly credential: TokenCredential,
    private readonly cloud: Cloud,
    private readonly signal?: AbortSignal
  ) {}

  client(subscriptionId: string): ContainerRegistryManagementClient {
    let client = this.clients.get(subscriptionId)
    if (!client) {
      client = new ContainerRegistryManagementClient(this.credential, subscriptionId, {
        endpoint: this.cloud.armEndpoint,
        credentials: { scopes: [this.cloud.armScope] },
        // Throttled requests wait and retry for as long as the entry's timeout allows, not only three times;
        // behind a proxy, the tunnels are kept alive.
        additionalPolicies: clientPolicies('arm')
      })
      this.clients.set(subscriptionId, client)
    }
    return client
  }

  /** Sends `request` through the subscription's client pipeline; any status is returned, never thrown. */
  send(subscriptionId: string, request: ArmRequest): Promise<PipelineResponse> {
    const url = request.url.startsWith('/') ? `${this.cloud.armEndpoint}${request.url}` : request.url
    const pipelineRequest = createPipelineRequest({
      url,
      method: request.method,
      headers: createHttpHeaders({ accept: 'application/json', 'content-type': 'application/json' }),
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      abortSignal: request.signal
    })
    this.httpClient ??= createDefaultHttpClient()
    return this.client(subscriptionId).pipeline.sendRequest(this.httpClient, pipelineRequest)
  }

  /** Every registry the identity can see in the subscription (listed once, then remembered). */
  list(subscriptionId: string): Promise<RegistryInfo[]> {
    let listing = this.listed.get(subscriptionId)
    if (!listing) {
      listing = this.listNow(subscriptionId)
      this.listed.set(subscriptionId, listing)
    }
    return listing
  }

  /**
   * Every subscription the identity can read (`GET /subscriptions`), sent through `viaSubscription`'s
   * client pipeline (any one carries the sign-in). Like each subscription's registries, listed once per step.
   */
  subscriptions(viaSubscription: string): Promise<string[]> {
    this.subscriptionList ??= this.listSubscriptions(viaSubscription)
    return this.subscriptionList
  }

  private async listSubscriptions(viaSubscription: string): Promise<string[]> {
    const found: string[] = []
    let url: string | undefined = `/subscriptions?api-version=${SUBSCRIPTIONS_API_VERSION}`
    while (url) {
      const response = await this.send(viaSubscription, { method: 'GET', url, signal: this.signal })
      if (response.status !== 200) throw new Error(`listing subscriptions answered ${response.status}`)
      const page = JSON.parse(response.bodyAsText ?? '{}') as {
        value?: { subscriptionId?: string }[]
        nextLink?: string
      }
      for (const subscription of page.value ?? [])
        if (subscription.subscriptionId) found.push(subscription.subscriptionId.toLowerCase())
      // ARM's next page stays on ARM's own endpoint; a link elsewhere ends the listing.
      url = page.nextLink?.startsWith(`${this.cloud.armEndpoint}/`) ? page.nextLink : undefined
    }
    return found
  }

  async get(subscriptionId: string, resourceGroup: string, name: string): Promise<RegistryInfo | undefined> {
    const registry = await this.client(subscriptionId).registries.get(resourceGroup, name, {
      abortSignal: this.signal
    })
    return toRegistryInfo(registry)
  }

  private async listNow(subscriptionId: string): Promise<RegistryInfo[]> {
    const found: RegistryInfo[] = []
    for await (const registry of this.client(subscriptionId).registries.list({ abortSignal: this.signal })) {
      const info = toRegistryInfo(registry)
      if (info) found.push(info)
    }
    return found
  }
}
