// How the log names the service connection. The agent hands a task its connection by GUID only: the ENDPOINT_*
// variables carry the URL, the authorization and the data, never the name (agent Handler.cs,
// AddEndpointsToEnvironment; only the legacy PowerShell handler passes the name). A line that says
// "Service connection 9d3b6a1e-…" tells a reader nothing, so the name is taken from what the task does get:
// a workload identity federation connection's subject is sc://<organization>/<project>/<connection name>,
// and every Azure Resource Manager connection carries the name of its subscription.
import * as tl from 'azure-pipelines-task-lib/task.js'
import type { SignIn } from '../core/index.js'

const SUBJECT_WITH_NAME = /^sc:\/\/[^/]+\/[^/]+\/(.+)$/

/** `'prod-connection'`, else `for subscription 'Production'`, else the GUID. */
export function connectionName(id: string): string {
  const subject = tl.getEndpointAuthorizationParameter(id, 'workloadIdentityFederationSubject', true)?.trim()
  const name = subject && SUBJECT_WITH_NAME.exec(subject)?.[1]
  if (name) return `'${name}'`
  const subscription = tl.getEndpointDataParameter(id, 'subscriptionname', true)?.trim()
  if (subscription) return `for subscription '${subscription}'`
  return id
}

/** The connection's kind in the words of the Azure DevOps form. */
export function connectionKind(signIn: SignIn): string {
  switch (signIn.kind) {
    case 'federated':
      return 'workload identity federation'
    case 'client-secret':
      return 'service principal with a secret'
    case 'client-certificate':
      return 'service principal with a certificate'
    case 'managed-identity':
      return 'managed identity'
    case 'azure-cli':
      return 'Azure CLI'
  }
}
