// Each hint follows from the service that answered (the request's host) and its status: ARM's throttling never
// mentions Docker Hub, a fault of ACR's token service never asks for a role.
import { describe, expect, it } from '@jest/globals'
import { createPipelineRequest, RestError } from '@azure/core-rest-pipeline'
import { describeError } from '../../src/core/errors/describe-error.js'

function answered(url: string, statusCode: number | undefined, code: string, message: string): RestError {
  return new RestError(message, { statusCode, code, request: createPipelineRequest({ url }) })
}

const ARM_THROTTLED =
  "Number of 'write' requests for subscription 'x' actor 'y' exceeded. Please try again after '2' seconds after additional tokens are available. Refer to https://aka.ms/arm-throttling"

describe('hints name the service that answered', () => {
  it.each([
    ['management.azure.com', 'https://management.azure.com/subscriptions/s/x/importImage'],
    ['management.usgovcloudapi.net', 'https://management.usgovcloudapi.net/subscriptions/s/x/importImage']
  ])('a 429 from ARM (%s) is ARM throttling, never Docker Hub', (_host, url) => {
    const line = describeError(answered(url, 429, 'SubscriptionRequestsThrottled', ARM_THROTTLED))
    expect(line).toMatch(/Azure Resource Manager throttled the requests of this subscription/)
    expect(line).not.toMatch(/Docker Hub/)
  })

  it('a 429 from Docker Hub is its pull limit', () => {
    const line = describeError(
      answered('https://registry-1.docker.io/v2/library/nginx/manifests/1', 429, 'TOOMANYREQUESTS', 'rate')
    )
    expect(line).toMatch(/Docker Hub limits anonymous pulls/)
  })

  it('an import that failed because the source registry rate-limited is Docker Hub’s pull limit', () => {
    const line = describeError(
      answered(
        'https://management.azure.com/subscriptions/s/providers/Microsoft.ContainerRegistry/locations/X/operationResults/r',
        400,
        'InvalidParameters',
        'toomanyrequests: You have reached your pull rate limit'
      )
    )
    expect(line).toMatch(/Docker Hub limits anonymous pulls/)
  })

  it('a 429 from Entra ID is Entra ID throttling', () => {
    const line = describeError(
      answered('https://login.microsoftonline.com/t/oauth2/v2.0/token', 429, '', 'x')
    )
    expect(line).toMatch(/Entra ID throttled/)
    expect(line).not.toMatch(/Docker Hub/)
  })

  it('a 429 from an ACR data plane names the registry', () => {
    const line = describeError(answered('https://prodacr.azurecr.io/acr/v1/app/_tags/1', 429, '', 'x'))
    expect(line).toMatch(/registry prodacr\.azurecr\.io throttled/)
    expect(line).not.toMatch(/Docker Hub/)
  })

  it.each([
    ['a 503', 503, ''],
    ['a reset', undefined, 'ECONNRESET']
  ])('%s from the ACR token endpoint is a service fault, not a role', (_what, status, code) => {
    for (const path of ['/oauth2/exchange', '/oauth2/token']) {
      const line = describeError(answered(`https://prodacr.azurecr.io${path}`, status, code, 'unavailable'))
      expect(line).toMatch(/token service of prodacr\.azurecr\.io did not answer/)
      expect(line).not.toMatch(/AcrPull|grant/i)
    }
  })

  it('a 500 from ARM says the import may have completed', () => {
    const line = describeError(answered('https://management.azure.com/x', 500, 'InternalServerError', 'boom'))
    expect(line).toMatch(/Azure Resource Manager had a fault.*may have completed/)
  })

  it('a 429 from another host names it', () => {
    const line = describeError(answered('https://quay.io/v2/x/manifests/1', 429, '', 'slow down'))
    expect(line).toMatch(/quay\.io asked to slow down/i)
    expect(line).not.toMatch(/Docker Hub/)
  })

  it('a certificate error at the ACR token endpoint keeps the TLS hint', () => {
    const line = describeError(
      answered(
        'https://prodacr.azurecr.io/oauth2/exchange',
        undefined,
        'SELF_SIGNED_CERT_IN_CHAIN',
        'self-signed'
      )
    )
    expect(line).toMatch(/NODE_EXTRA_CA_CERTS/)
  })
})
