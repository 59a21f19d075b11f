// Subscriptions of the world and the tenant each belongs to (ARM refuses tokens of another tenant).
import { REGISTRIES, SUB_PARTNER, SUB_PROD, SUB_SHARED, TENANT_A, TENANT_B } from '../../world.js'

export const SUBSCRIPTIONS = [
  { id: SUB_PROD, tenantId: TENANT_A, displayName: 'Contoso Production' },
  { id: SUB_SHARED, tenantId: TENANT_A, displayName: 'Contoso Shared Services' },
  { id: SUB_PARTNER, tenantId: TENANT_B, displayName: 'Fabrikam Partner' }
]

export const subscriptionById = (id: string) => SUBSCRIPTIONS.find((s) => s.id === id.toLowerCase())

// Every registry's subscription must be listed above: a world edit that forgets one fails at start, not in a test.
for (const r of Object.values(REGISTRIES)) {
  if (!subscriptionById(r.subscriptionId))
    throw new Error(`Registry ${r.name} is in an unknown subscription.`)
}
