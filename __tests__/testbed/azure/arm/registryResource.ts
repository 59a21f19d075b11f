// A fake ACR as ARM describes it (the shape of the RegistryGet example of the 2025-11-01 spec).
import type { RegistryRuntime } from '../../types.js'

export function registryResource(registry: RegistryRuntime): Record<string, unknown> {
  const { model } = registry
  const publicAccess = model.publicNetworkAccess === 'Enabled'
  return {
    id: registry.resourceId,
    name: model.name,
    type: 'Microsoft.ContainerRegistry/registries',
    location: model.location,
    tags: {},
    sku: { name: 'Premium', tier: 'Premium' },
    systemData: {
      createdBy: 'platform-team@contoso.com',
      createdByType: 'User',
      createdAt: '2024-05-01T10:00:00.0000000Z',
      lastModifiedBy: 'platform-team@contoso.com',
      lastModifiedByType: 'User',
      lastModifiedAt: '2024-05-01T10:00:00.0000000Z'
    },
    properties: {
      loginServer: registry.loginServer,
      creationDate: '2024-05-01T10:00:00.0000000Z',
      provisioningState: 'Succeeded',
      adminUserEnabled: false,
      networkRuleSet: { defaultAction: publicAccess ? 'Allow' : 'Deny', ipRules: [] },
      policies: {
        quarantinePolicy: { status: 'disabled' },
        trustPolicy: { type: 'Notary', status: 'disabled' },
        retentionPolicy: {
          days: 7,
          lastUpdatedTime: '2024-05-01T10:00:00.0000000+00:00',
          status: 'disabled'
        },
        exportPolicy: { status: 'enabled' },
        azureADAuthenticationAsArmPolicy: { status: 'enabled' },
        softDeletePolicy: {
          retentionDays: 7,
          lastUpdatedTime: '2024-05-01T10:00:00.0000000+00:00',
          status: 'disabled'
        }
      },
      encryption: { status: 'disabled' },
      status: null,
      dataEndpointEnabled: false,
      dataEndpointHostNames: [],
      privateEndpointConnections: [],
      publicNetworkAccess: model.publicNetworkAccess,
      networkRuleBypassOptions: 'AzureServices',
      networkRuleBypassAllowedForTasks: false,
      zoneRedundancy: 'Disabled',
      anonymousPullEnabled: false,
      metadataSearch: 'Disabled',
      roleAssignmentMode: 'LegacyRegistryPermissions'
    }
  }
}

/** The generic resource entry of GET /subscriptions/{sub}/resources. */
export function genericResource(registry: RegistryRuntime): Record<string, unknown> {
  return {
    id: registry.resourceId,
    name: registry.model.name,
    type: 'Microsoft.ContainerRegistry/registries',
    sku: { name: 'Premium', tier: 'Premium' },
    location: registry.model.location,
    tags: {}
  }
}
