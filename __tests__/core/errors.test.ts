import { describe, expect, it } from '@jest/globals'
import { RestError } from '@azure/core-rest-pipeline'
import { SignInError } from '../../src/core/errors/sign-in-error.js'
import { decodeAssertionClaims } from '../../src/core/errors/assertion-claims.js'
import { describeError } from '../../src/core/errors/describe-error.js'
import { UserError } from '../../src/core/errors/user-error.js'

const restError = (statusCode: number, code: string, message: string) =>
  new RestError(message, { statusCode, code })
const jwt = (payload: object) =>
  ['{"alg":"RS256"}', JSON.stringify(payload), 'signature']
    .map((p, i) => (i < 2 ? Buffer.from(p).toString('base64url') : p))
    .join('.')

describe('describeError', () => {
  it('formats a UserError as one line with its hint', () => {
    expect(describeError(new UserError('Bad thing.', 'do this'))).toBe('Bad thing. Do this.')
  })

  it.each([
    [
      restError(
        400,
        'InvalidParameters',
        'Operation registries-1 failed. Resource /x hello:v3 Tag hello:v3 already exists in target registry.'
      ),
      /already exists.*use force: true to overwrite/
    ],
    [
      restError(
        403,
        'AuthorizationFailed',
        "The client 'abc' does not have authorization to perform action 'Microsoft.ContainerRegistry/registries/importImage/action'"
      ),
      /AuthorizationFailed \(HTTP 403\).*Grant the signed-in identity "Container Registry Data Importer and Data Reader" \(or Contributor\) on the target registry/
    ],
    [
      restError(
        403,
        'LinkedAuthorizationFailed',
        "it does not have permission to perform action 'read' on the linked scope(s) '/subscriptions/2/x'"
      ),
      /read on the source registry/
    ],
    [
      restError(
        400,
        'InvalidParameters',
        'Invalid message Forbidden Forbidden {"errors":[{"code":"DENIED"}]}'
      ),
      /Allow trusted Microsoft services.*resource ID as the source registry \(input source-registry/
    ],
    [
      restError(400, 'InvalidParameters', 'toomanyrequests: You have reached your pull rate limit'),
      /Docker Hub username and an access token/
    ],
    [
      restError(400, 'InvalidParameter', 'The source image was not found'),
      /Check the source repository and tag/
    ],
    [
      restError(404, 'ResourceNotFound', 'The Resource prodacr was not found'),
      /Check the registry name and the subscription/
    ]
  ])('hints for %s', (err, hint) => {
    const line = describeError(err)
    expect(line).toMatch(hint)
    expect(line).not.toContain('\n')
  })

  it('neutralises workflow commands in remote text', () => {
    const line = describeError(
      restError(400, 'X', 'bad\n::set-output name=digest::evil\n##vso[task.setvariable]x')
    )
    expect(line).not.toMatch(/^::|\n|::set-output|##vso\[/)
  })

  it('explains a federated mismatch with the presented claims but never the token', () => {
    const assertion = jwt({
      iss: 'https://token.actions.githubusercontent.com',
      sub: 'repo:org/app:ref:refs/heads/dev',
      aud: 'api://AzureADTokenExchange'
    })
    const cause = new Error(
      'ClientAssertionCredential authentication failed.\nAADSTS700213: No matching federated identity record found for presented assertion subject.\nTrace ID: 1'
    )
    const line = describeError(
      new SignInError(cause, 'GitHub OIDC', decodeAssertionClaims(assertion), 'api://AzureADTokenExchange')
    )
    expect(line).toMatch(
      /^Sign-in with GitHub OIDC failed: ClientAssertionCredential authentication failed\. /
    )
    expect(line).toContain(
      "iss 'https://token.actions.githubusercontent.com', sub 'repo:org/app:ref:refs/heads/dev', aud 'api://AzureADTokenExchange'"
    )
    expect(line).toMatch(/add a federated credential/)
    expect(line).not.toContain(assertion)
  })

  it.each([
    ['AADSTS7000215: Invalid client secret provided.', /secret value \(not its ID\)/],
    ['AADSTS700016: Application with identifier x was not found', /check client ID and tenant ID/],
    ['AADSTS700024: Client assertion is not within its valid time range.', /assertion expired/]
  ])('hints for %s', (text, hint) => {
    expect(describeError(new SignInError(new Error(text), 'client secret of app x'))).toMatch(hint)
    // An identity error that was not wrapped still gets the AADSTS hint.
    expect(describeError(Object.assign(new Error(text), { name: 'AuthenticationError' }))).toMatch(hint)
  })

  it('describes aborts and plain values', () => {
    expect(describeError(Object.assign(new Error('x'), { name: 'AbortError' }))).toBe(
      'The operation was cancelled.'
    )
    expect(describeError('weird')).toBe('weird.')
    expect(describeError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toMatch(
      /HTTPS_PROXY/
    )
  })
})
