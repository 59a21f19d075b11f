// In-process checks of the Azure half's pure parts: RBAC scope inheritance, federated assertion rules that the
// SDK tests cannot reach (a federated token's lifetime), and the importImage body rules.
import { describe, expect, it } from '@jest/globals'
import { createRbac, scopeCovers } from './azure/rbac.js'
import { verifyClientAssertion } from './azure/entra/clientAssertion.js'
import { EntraError } from './azure/entra/errors.js'
import { OidcIssuer } from './azure/oidc/issuer.js'
import { parseImportRequest, targetTagsOf } from './azure/arm/importRequest.js'
import { ArmError } from './azure/arm/errors.js'
import { ARM_SUBSCRIPTION_LIMITS, ArmThrottling } from './azure/arm/throttling.js'
import {
  APPS,
  FEDERATED_AUDIENCE,
  GITHUB_ISSUER,
  MANAGED_IDENTITY,
  REGISTRIES,
  resourceIdOf,
  SUB_SHARED
} from './world.js'

describe('rbac', () => {
  const rbac = createRbac()

  it('inherits a role from the subscription and resource scopes, case-insensitively', () => {
    const shared = resourceIdOf(REGISTRIES.shared)
    expect(
      rbac.can(APPS.github.objectId, 'Microsoft.ContainerRegistry/registries/read', shared.toUpperCase())
    ).toBe(true)
    expect(
      rbac.can(APPS.github.objectId, 'Microsoft.ContainerRegistry/registries/importImage/action', shared)
    ).toBe(false)
    expect(
      rbac.can(
        MANAGED_IDENTITY.objectId,
        'Microsoft.ContainerRegistry/registries/importImage/action',
        resourceIdOf(REGISTRIES.prod)
      )
    ).toBe(true)
    expect(
      rbac.can(
        APPS.noRoles.objectId,
        'Microsoft.ContainerRegistry/registries/read',
        resourceIdOf(REGISTRIES.prod)
      )
    ).toBe(false)
    expect(
      rbac.can(
        APPS.sourceReader.objectId,
        'Microsoft.ContainerRegistry/registries/pull/read',
        resourceIdOf(REGISTRIES.dev)
      )
    ).toBe(true)
  })

  it('matches scopes only at a path boundary', () => {
    expect(scopeCovers(`/subscriptions/${SUB_SHARED}`, `/subscriptions/${SUB_SHARED}/resourceGroups/x`)).toBe(
      true
    )
    expect(scopeCovers(resourceIdOf(REGISTRIES.dev), `${resourceIdOf(REGISTRIES.dev)}2`)).toBe(false)
  })
})

describe('federated client assertions', () => {
  const issuer = new OidcIssuer(GITHUB_ISSUER)
  const now = Math.floor(Date.now() / 1000)
  const context = { app: APPS.github, tokenEndpoints: [], issuers: [issuer] }
  const token = (claims: Record<string, unknown>) =>
    issuer.key.sign({
      iss: GITHUB_ISSUER,
      sub: 'repo:contoso/app:ref:refs/heads/main',
      aud: FEDERATED_AUDIENCE,
      nbf: now - 60,
      exp: now + 300,
      ...claims
    })
  const aadsts = (assertion: string): number | undefined => {
    try {
      verifyClientAssertion(assertion, context)
      return undefined
    } catch (err) {
      return (err as EntraError).aadsts
    }
  }

  it('accepts a valid token and refuses an expired or not yet valid one with AADSTS700024', () => {
    expect(aadsts(token({}))).toBeUndefined()
    expect(aadsts(token({ nbf: now - 3600, exp: now - 1200 }))).toBe(700024)
    expect(aadsts(token({ nbf: now + 1200, exp: now + 1500 }))).toBe(700024)
  })

  it('refuses a token signed by another key with AADSTS700027', () => {
    const forger = new OidcIssuer(GITHUB_ISSUER)
    const forged = forger.key.sign({
      iss: GITHUB_ISSUER,
      sub: 'repo:contoso/app:ref:refs/heads/main',
      aud: FEDERATED_AUDIENCE,
      exp: now + 300
    })
    expect(aadsts(forged)).toBe(700027)
  })
})

describe('importImage body', () => {
  const parse = (body: unknown) => parseImportRequest(Buffer.from(JSON.stringify(body)))

  it('defaults the target tag to the source repo:tag without digest, or latest', () => {
    expect(
      targetTagsOf(parse({ source: { registryUri: 'docker.io', sourceImage: 'library/nginx' } }))
    ).toEqual(['library/nginx:latest'])
    expect(
      targetTagsOf(
        parse({
          source: { registryUri: 'docker.io', sourceImage: 'library/nginx:1.27' },
          targetTags: ['web']
        })
      )
    ).toEqual(['web:1.27'])
    const digest = `sha256:${'b'.repeat(64)}`
    expect(
      targetTagsOf(
        parse({
          source: { registryUri: 'docker.io', sourceImage: `x@${digest}` },
          untaggedTargetRepositories: ['x']
        })
      )
    ).toEqual([])
  })

  it('requires a source with a sourceImage', () => {
    expect(() => parse({ targetTags: ['x:1'] })).toThrow(ArmError)
    expect(() => parse({ source: { registryUri: 'docker.io' } })).toThrow(
      "The required property 'source.sourceImage' is missing."
    )
  })
})

describe('ARM token buckets', () => {
  const write = { kind: 'write', subscriptionId: 'sub-a', principalId: 'oid-1' } as const

  it('refills at the configured rate up to the capacity, and says when the next token comes', () => {
    let now = 0
    const throttling = new ArmThrottling(() => now)
    throttling.configure({ writes: { capacity: 2, refillPerSecond: 4 } })
    expect(throttling.take(write)).toMatchObject({ allowed: true, header: { remaining: 1 } })
    expect(throttling.take(write)).toMatchObject({ allowed: true, header: { remaining: 0 } })
    expect(throttling.take(write)).toEqual({ allowed: false, retryAfterSeconds: 1 })
    now += 250 // one token at 4 a second
    expect(throttling.take(write)).toMatchObject({ allowed: true, header: { remaining: 0 } })
    now += 60_000 // never more than the capacity
    expect(throttling.take(write)).toMatchObject({ allowed: true, header: { remaining: 1 } })
  })

  it('keeps a bucket per subscription and principal, and leaves an unconfigured kind unlimited', () => {
    const throttling = new ArmThrottling(() => 0)
    throttling.configure({ writes: { capacity: 1, refillPerSecond: 0.1 } })
    expect(throttling.take(write).allowed).toBe(true)
    expect(throttling.take(write)).toEqual({ allowed: false, retryAfterSeconds: 10 })
    expect(throttling.take({ ...write, subscriptionId: 'sub-b' }).allowed).toBe(true)
    expect(throttling.take({ ...write, principalId: 'oid-2' }).allowed).toBe(true)
    expect(throttling.take({ ...write, kind: 'read' })).toEqual({ allowed: true })
  })

  it('holds real ARM’s subscription limits and refuses buckets that cannot work', () => {
    expect(ARM_SUBSCRIPTION_LIMITS).toEqual({
      writes: { capacity: 200, refillPerSecond: 10 },
      reads: { capacity: 250, refillPerSecond: 25 }
    })
    const throttling = new ArmThrottling()
    expect(() => throttling.configure({ reads: { capacity: 1, refillPerSecond: 0 } })).toThrow(RangeError)
    expect(() => throttling.configure({ writes: { capacity: 0.5, refillPerSecond: 1 } })).toThrow(RangeError)
  })
})
