// ARM access: one ContainerRegistryManagementClient per subscription, always with the cloud's ARM scope
// (the SDK's default scope is `${endpoint}/.default`, wrong for sovereign clouds and custom endpoints).
import { ContainerRegistryManagementClient } from '@azure/arm-containerregistry'
import type { TokenCredential } from '@azure/core-auth'
import type { Cloud } from '../cloud/clouds.js'
import { toRegistryInfo, type RegistryInfo } from './registry-info.js'

export class ArmRegistries {
  private readonly clients = new Map<string, ContainerRegistryManagementClient>()
  private readonly listed = new Map<string, Promise<RegistryInfo[]>>()

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
        credentials: { scopes: [this.cloud.armScope] }
      })
      this.clients.set(subscriptionId, client)
    }
    return client
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
