// Runs real Azure SDK calls for the Azure half's tests in a process started with the test bed's environment
// (NODE_EXTRA_CA_CERTS is read only at process start, and MSAL has no other way to trust the test bed's CA).
// Protocol: one JSON request per stdin line {id, credential, action}; one stdout line per answer, prefixed
// with RESULT_PREFIX (other stdout lines, such as @actions/core's ::add-mask::, are not answers).
import { createInterface } from 'node:readline'
import * as core from '@actions/core'
import {
  AzurePipelinesCredential,
  ClientAssertionCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential
} from '@azure/identity'
import { ContainerRegistryManagementClient } from '@azure/arm-containerregistry'
import {
  createDefaultHttpClient,
  createPipelineFromOptions,
  createPipelineRequest
} from '@azure/core-rest-pipeline'

const RESULT_PREFIX = '@@sdk-result '

/** Sets job variables for the duration of one request, as a runner or agent would have them. */
function withEnv(env, fn) {
  const saved = Object.fromEntries(Object.keys(env ?? {}).map((k) => [k, process.env[k]]))
  Object.assign(process.env, env)
  return fn().finally(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  })
}

function credentialOf(spec) {
  const options = spec.authorityHost ? { authorityHost: spec.authorityHost } : {}
  switch (spec.kind) {
    case 'secret':
      return new ClientSecretCredential(spec.tenantId, spec.clientId, spec.secret, options)
    case 'certificate':
      return new ClientCertificateCredential(spec.tenantId, spec.clientId, { certificate: spec.pem }, options)
    case 'githubOidc':
      // Exactly what a GitHub Action does: @actions/core fetches the job's ID token for the audience.
      return new ClientAssertionCredential(
        spec.tenantId,
        spec.clientId,
        () => core.getIDToken(spec.audience ?? 'api://AzureADTokenExchange'),
        options
      )
    case 'assertion':
      return new ClientAssertionCredential(spec.tenantId, spec.clientId, async () => spec.assertion, options)
    case 'pipelines':
      return new AzurePipelinesCredential(
        spec.tenantId,
        spec.clientId,
        spec.serviceConnectionId,
        spec.systemAccessToken,
        options
      )
    case 'managed':
      return spec.clientId
        ? new ManagedIdentityCredential({ clientId: spec.clientId })
        : new ManagedIdentityCredential()
    default:
      throw new Error(`Unknown credential kind ${spec.kind}`)
  }
}

/** A plain HTTPS request through the same pipeline (proxy, TLS) the SDKs use, without retries. */
async function sendHttp({ method, url, headers, body }) {
  const pipeline = createPipelineFromOptions({ retryOptions: { maxRetries: 0 } })
  const request = createPipelineRequest({ method: method ?? 'GET', url, body })
  for (const [name, value] of Object.entries(headers ?? {})) request.headers.set(name, value)
  const response = await pipeline.sendRequest(createDefaultHttpClient(), request)
  return { status: response.status, headers: response.headers.toJSON(), body: response.bodyAsText ?? '' }
}

async function run({ credential: spec, action }) {
  if (action.kind === 'githubIdToken') return await core.getIDToken(action.audience)
  if (action.kind === 'http') return await sendHttp(action)
  const credential = credentialOf(spec)
  const arm = () =>
    new ContainerRegistryManagementClient(credential, action.subscriptionId, action.clientOptions ?? {})
  switch (action.kind) {
    case 'getToken': {
      const token = await credential.getToken(action.scope)
      return { token: token.token }
    }
    case 'registriesGet':
      return await arm().registries.get(action.resourceGroup, action.name)
    case 'registriesList': {
      const names = []
      const pages = action.resourceGroup
        ? arm().registries.listByResourceGroup(action.resourceGroup)
        : arm().registries.list()
      for await (const registry of pages) names.push(registry.name)
      return names
    }
    case 'importImage': {
      const poller = arm().registries.importImage(action.resourceGroup, action.name, action.parameters, {
        updateIntervalInMs: action.updateIntervalInMs ?? 50
      })
      await poller.pollUntilDone()
      return { status: poller.operationState?.status }
    }
    default:
      throw new Error(`Unknown action ${action.kind}`)
  }
}

const describeError = (err) => ({
  name: err?.name,
  message: String(err?.message ?? err),
  code: err?.code,
  statusCode: err?.statusCode
})

const lines = createInterface({ input: process.stdin })
for await (const line of lines) {
  if (!line.trim()) continue
  const request = JSON.parse(line)
  const answer = await withEnv(request.env, () => run(request)).then(
    (value) => ({ id: request.id, ok: true, value }),
    (err) => ({ id: request.id, ok: false, error: describeError(err) })
  )
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(answer)}\n`)
}
