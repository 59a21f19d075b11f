// The Entra tenants of the world, with the display names Entra puts in some error texts.
import { TENANT_A, TENANT_B } from '../../world.js'

export const TENANTS = [
  { id: TENANT_A, name: 'Contoso' },
  { id: TENANT_B, name: 'Fabrikam' }
]
