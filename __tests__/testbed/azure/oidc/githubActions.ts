// GitHub Actions OIDC: the issuer token.actions.githubusercontent.com (discovery + JWKS) and the runner's ID token
// endpoint that @actions/core getIDToken calls: GET ${ACTIONS_ID_TOKEN_REQUEST_URL}&audience=<aud> with
// `Authorization: Bearer ${ACTIONS_ID_TOKEN_REQUEST_TOKEN}` -> {"value":"<jwt>"}.
import { randomBytes, randomUUID } from 'node:crypto'
import type { HostRoutes } from '../../types.js'
import { FEDERATED_AUDIENCE, GITHUB_ISSUER } from '../../world.js'
import { bearerToken, requestUrl, sendJson } from '../http.js'
import { nowSeconds, type JwtClaims } from '../jwt.js'
import { OidcIssuer } from './issuer.js'

const ISSUER_HOST = new URL(GITHUB_ISSUER).host
/** A runner service host, as the real ACTIONS_ID_TOKEN_REQUEST_URL uses (pipelinesghubeus<N>). */
const GITHUB_RUNNER_HOST = 'pipelinesghubeus1.actions.githubusercontent.com'
const ID_TOKEN_LIFETIME_SECONDS = 300

interface RunnerJob {
  subject: string
  path: string
}

/** The claims GitHub puts in a job's ID token, derived from its subject (repo:owner/name:<context>). */
function workflowClaims(subject: string): JwtClaims {
  const match = /^repo:([^/:]+)\/([^:]+):(.*)$/.exec(subject)
  const owner = match?.[1] ?? 'contoso'
  const repository = `${owner}/${match?.[2] ?? 'app'}`
  const context = match?.[3] ?? ''
  const environment = /^environment:(.+)$/.exec(context)?.[1]
  const ref = /^ref:(.+)$/.exec(context)?.[1] ?? 'refs/heads/main'
  const workflowRef = `${repository}/.github/workflows/release.yml@${ref}`
  return {
    ref,
    ref_type: ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    sha: '3f786850e387550fdab836ed7e6dc881de23001b',
    repository,
    repository_id: '690123456',
    repository_owner: owner,
    repository_owner_id: '12345678',
    repository_visibility: 'private',
    run_id: '9876543210',
    run_number: '42',
    run_attempt: '1',
    actor: 'octocat',
    actor_id: '583231',
    workflow: 'release',
    workflow_ref: workflowRef,
    workflow_sha: '3f786850e387550fdab836ed7e6dc881de23001b',
    job_workflow_ref: workflowRef,
    job_workflow_sha: '3f786850e387550fdab836ed7e6dc881de23001b',
    event_name: 'push',
    head_ref: '',
    base_ref: '',
    runner_environment: 'github-hosted',
    ...(environment ? { environment } : {})
  }
}

export function createGitHubActionsOidc() {
  const issuer = new OidcIssuer(GITHUB_ISSUER)
  /** Request token -> the job it was handed to. */
  const jobs = new Map<string, RunnerJob>()

  const mint = (subject: string, audience: string): string => {
    const now = nowSeconds()
    return issuer.key.sign({
      jti: randomUUID(),
      sub: subject,
      aud: audience,
      ...workflowClaims(subject),
      iss: GITHUB_ISSUER,
      nbf: now - 5,
      iat: now,
      exp: now + ID_TOKEN_LIFETIME_SECONDS
    })
  }

  const routes: HostRoutes = {
    [ISSUER_HOST]: (req, res) => {
      const url = requestUrl(req)
      if (req.method === 'GET' && url.pathname === '/.well-known/openid-configuration') {
        return issuer.sendDiscovery(res, `${GITHUB_ISSUER}/.well-known/jwks`)
      }
      if (req.method === 'GET' && url.pathname === '/.well-known/jwks') return issuer.sendJwks(res)
      sendJson(res, 404, { message: 'Not Found' })
    },
    [GITHUB_RUNNER_HOST]: (req, res) => {
      const url = requestUrl(req)
      const job = jobs.get(bearerToken(req) ?? '')
      if (!job || job.path !== url.pathname) {
        return sendJson(res, 401, {
          message: 'Bad credentials: the ID token request token is not valid for this job.'
        })
      }
      if (req.method !== 'GET') return sendJson(res, 405, { message: 'Method Not Allowed' })
      sendJson(res, 200, { value: mint(job.subject, url.searchParams.get('audience') || FEDERATED_AUDIENCE) })
    }
  }

  /** Registers a job whose ID tokens carry `subject`; returns the runner variables that reach it. */
  function githubOidc(subject: string) {
    const path = `/${randomBytes(12).toString('base64url')}/00000000-0000-0000-0000-000000000000/_apis/distributedtask/hubs/Actions/plans/${randomUUID()}/jobs/${randomUUID()}/idtoken`
    const requestToken = randomBytes(32).toString('base64url')
    jobs.set(requestToken, { subject, path })
    return {
      ACTIONS_ID_TOKEN_REQUEST_URL: `https://${GITHUB_RUNNER_HOST}${path}?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken
    }
  }

  return { issuer, routes, githubOidc }
}
