// The `creds` input takes the JSON that azure/login accepts, so a workflow can switch actions without
// re-plumbing its secret. Only the fields we use are read; the text itself is never echoed (it holds a secret).
import { UserError } from '../core/index.js'

/** The fields of an azure/login `creds` object that matter for an import. */
export interface AzureLoginCreds {
  clientId?: string
  clientSecret?: string
  tenantId?: string
  subscriptionId?: string
  resourceManagerEndpointUrl?: string
  activeDirectoryEndpointUrl?: string
}

const FIELDS: (keyof AzureLoginCreds)[] = [
  'clientId',
  'clientSecret',
  'tenantId',
  'subscriptionId',
  'resourceManagerEndpointUrl',
  'activeDirectoryEndpointUrl'
]

/** Parses `creds`; a malformed value is one line that names the input, never its content. */
export function parseCreds(text: string): AzureLoginCreds {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new UserError(
      "Input 'creds' is not valid JSON",
      'give the azure/login object {"clientId": ..., "clientSecret": ..., "tenantId": ..., "subscriptionId": ...}'
    )
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UserError(
      "Input 'creds' is not a JSON object",
      'give the azure/login object with clientId and tenantId'
    )
  }
  const record = parsed as Record<string, unknown>
  const creds: AzureLoginCreds = {}
  for (const field of FIELDS) {
    const value = record[field]
    if (typeof value === 'string' && value.trim()) creds[field] = value.trim()
  }
  return creds
}
