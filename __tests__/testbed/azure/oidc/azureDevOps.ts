// Azure DevOps workload identity federation: the issuer https://vstoken.dev.azure.com/{orgId} (discovery + JWKS)
// and the job's OIDC endpoint that AzurePipelinesCredential calls:
// POST ${SYSTEM_OIDCREQUESTURI}?api-version=7.1&serviceConnectionId=<id> with `Authorization: Bearer
// <System.AccessToken>` -> {"oidcToken":"<jwt>"}. The older form built from the collection URI, project, plan and
// job IDs is the same path, so it is served too.
import { randomBytes, randomUUID } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import type { HostRoutes } from '../../types.js'
import { ADO_ISSUER, FEDERATED_AUDIENCE } from '../../world.js'
import { bearerToken, requestUrl, sendJson } from '../http.js'
import { nowSeconds } from '../jwt.js'
import { OidcIssuer } from './issuer.js'

const ORGANIZATION = 'contoso'
const PROJECT = 'app'
/** Subject of a token requested without a service connection: the pipeline itself (real behaviour). */
const PIPELINE_SUBJECT = `p://${ORGANIZATION}/${PROJECT}/pipeline`
const OIDC_TOKEN_LIFETIME_SECONDS = 600
const ISSUER_URL = new URL(ADO_ISSUER)

interface PipelineJob {
  systemAccessToken: string
  /** Service connection ID (lower case) -> subject of its federated credential. */
  connections: Map<string, string>
}

/** VSS-style error body, as Azure DevOps REST APIs answer. */
function sendVssError(res: ServerResponse, status: number, typeKey: string, message: string): void {
  sendJson(
    res,
    status,
    {
      $id: '1',
      innerException: null,
      message,
      typeName: `Microsoft.TeamFoundation.DistributedTask.WebApi.${typeKey}, Microsoft.TeamFoundation.DistributedTask.WebApi`,
      typeKey,
      errorCode: 0,
      eventId: 3000
    },
    { 'x-vss-e2eid': randomUUID(), 'x-msedge-ref': `Ref A: ${randomUUID()}` }
  )
}

export function createAzureDevOpsOidc() {
  const issuer = new OidcIssuer(ADO_ISSUER)
  /** Path of the job's oidctoken endpoint (lower case) -> job. */
  const jobs = new Map<string, PipelineJob>()

  const mint = (subject: string): string => {
    const now = nowSeconds()
    return issuer.key.sign({
      jti: randomUUID(),
      iss: ADO_ISSUER,
      aud: FEDERATED_AUDIENCE,
      sub: subject,
      nbf: now,
      iat: now,
      exp: now + OIDC_TOKEN_LIFETIME_SECONDS
    })
  }

  const routes: HostRoutes = {
    [ISSUER_URL.host]: (req, res) => {
      const path = requestUrl(req).pathname
      if (req.method === 'GET' && path === `${ISSUER_URL.pathname}/.well-known/openid-configuration`) {
        return issuer.sendDiscovery(res, `${ADO_ISSUER}/.well-known/jwks`)
      }
      if (req.method === 'GET' && path === `${ISSUER_URL.pathname}/.well-known/jwks`)
        return issuer.sendJwks(res)
      sendJson(res, 404, { message: 'Not Found' })
    },
    'dev.azure.com': (req, res) => {
      const url = requestUrl(req)
      const job = jobs.get(url.pathname.toLowerCase())
      if (!job)
        return sendVssError(
          res,
          404,
          'TaskOrchestrationPlanNotFoundException',
          'The plan or job was not found.'
        )
      if (bearerToken(req) !== job.systemAccessToken) {
        return sendJson(res, 401, {
          message: 'TF400813: The user is not authorized to access this resource.'
        })
      }
      if (req.method !== 'POST')
        return sendVssError(res, 405, 'MethodNotAllowedException', 'Method not allowed.')
      const connectionId = url.searchParams.get('serviceConnectionId')
      if (!connectionId) return sendJson(res, 200, { oidcToken: mint(PIPELINE_SUBJECT) })
      const subject = job.connections.get(connectionId.toLowerCase())
      if (!subject) {
        return sendVssError(
          res,
          404,
          'ServiceEndpointNotFoundException',
          `Service connection ${connectionId} was not found or the pipeline is not authorized to use it.`
        )
      }
      sendJson(res, 200, { oidcToken: mint(subject) })
    }
  }

  /** Registers a pipeline job whose service connection `serviceConnectionId` federates with `subject`. */
  function adoOidc(serviceConnectionId: string, subject: string) {
    const projectId = randomUUID()
    const planId = randomUUID()
    const jobId = randomUUID()
    const collectionUri = `https://dev.azure.com/${ORGANIZATION}/`
    const oidcRequestUri = `${collectionUri}${projectId}/_apis/distributedtask/hubs/build/plans/${planId}/jobs/${jobId}/oidctoken`
    const systemAccessToken = randomBytes(32).toString('base64url')
    jobs.set(new URL(oidcRequestUri).pathname.toLowerCase(), {
      systemAccessToken,
      connections: new Map([[serviceConnectionId.toLowerCase(), subject]])
    })
    return {
      variables: {
        SYSTEM_OIDCREQUESTURI: oidcRequestUri,
        SYSTEM_COLLECTIONURI: collectionUri,
        SYSTEM_TEAMFOUNDATIONCOLLECTIONURI: collectionUri,
        SYSTEM_TEAMPROJECTID: projectId,
        SYSTEM_TEAMPROJECT: PROJECT,
        SYSTEM_PLANID: planId,
        SYSTEM_JOBID: jobId,
        SYSTEM_HOSTTYPE: 'build'
      },
      systemAccessToken
    }
  }

  return { issuer, routes, adoOidc }
}
