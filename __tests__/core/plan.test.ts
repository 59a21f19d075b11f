import { describe, expect, it } from '@jest/globals'
import type { RegistryInfo } from '../../src/core/arm/registry-info.js'
import type { ImportRequest } from '../../src/core/contract.js'
import { buildPlan, validateRequest } from '../../src/core/plan/build-plan.js'
import { describePlan, toImportParameters } from '../../src/core/plan/planned-import.js'

const registry = (name: string, sub = 'sub-1'): RegistryInfo => ({
  id: `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/${name}`,
  name,
  subscriptionId: sub,
  resourceGroup: 'rg',
  loginServer: `${name.toLowerCase()}.azurecr.io`
})
const prod = registry('prodacr')
const dev = registry('devacr')
const DIGEST = `sha256:${'b'.repeat(64)}`

const request = (overrides: Partial<ImportRequest>): ImportRequest => ({
  registry: 'prodacr',
  sources: [],
  images: [],
  repositories: [],
  force: false,
  wait: true,
  timeoutSeconds: 600,
  dryRun: false,
  ...overrides
})
const plan = (overrides: Partial<ImportRequest>, sourceRegistry?: RegistryInfo) =>
  buildPlan(request(overrides), {
    target: prod,
    visibleRegistries: [prod, dev],
    sourceRegistry: sourceRegistry ? { kind: 'acr', registry: sourceRegistry } : undefined
  })

describe('buildPlan', () => {
  it('sends a public source by registryUri with the source repo:tag as target', () => {
    const [p] = plan({ sources: ['nginx:1.27'] })
    expect(toImportParameters(p)).toEqual({
      source: { registryUri: 'docker.io', sourceImage: 'library/nginx:1.27', credentials: undefined },
      targetTags: ['library/nginx:1.27'],
      untaggedTargetRepositories: undefined,
      mode: 'NoForce'
    })
  })

  it('imports the resolved digest, so the target gets exactly what was read', () => {
    const [p] = plan({
      sources: ['mcr.microsoft.com/dotnet/runtime:8.0'],
      images: ['dotnet/runtime'],
      force: true
    })
    expect(toImportParameters(p, DIGEST)).toMatchObject({
      source: { registryUri: 'mcr.microsoft.com', sourceImage: `dotnet/runtime@${DIGEST}` },
      targetTags: ['dotnet/runtime:8.0'],
      mode: 'Force'
    })
  })

  it('sends a same-tenant ACR source by resource ID, also by its regional endpoint', () => {
    const [byLogin] = plan({ sources: ['devacr.azurecr.io/app:1'] })
    expect(toImportParameters(byLogin).source).toEqual({ resourceId: dev.id, sourceImage: 'app:1' })
    const [byRegion] = plan({ sources: ['devacr.eastus.geo.azurecr.io/app:1'] })
    expect(byRegion.access).toEqual({ kind: 'resourceId', registry: dev })
  })

  it('sends an ACR source by URI with credentials when a password is given', () => {
    const [p] = plan({ sources: ['devacr.azurecr.io/app:1'], username: 'puller', password: 's3cret' })
    expect(toImportParameters(p).source).toEqual({
      registryUri: 'devacr.azurecr.io',
      sourceImage: 'app:1',
      credentials: { username: 'puller', password: 's3cret' }
    })
    expect(describePlan(p, prod.loginServer)).not.toContain('s3cret')
  })

  it('reads sources inside source-registry and strips its login server with a notice', () => {
    const [p] = plan({ sources: ['devacr.azurecr.io/team/app:2'] }, dev)
    expect(toImportParameters(p).source).toEqual({ resourceId: dev.id, sourceImage: 'team/app:2' })
    expect(p.notices.join()).toMatch(/read as 'team\/app:2'/)
  })

  it('makes a digest-only source target repo:latest, and keeps the digest as the source image', () => {
    const [p] = plan({ sources: [`mcr.microsoft.com/app@${DIGEST}`] })
    expect(toImportParameters(p)).toMatchObject({
      source: { sourceImage: `app@${DIGEST}` },
      targetTags: ['app:latest']
    })
  })

  it('copies untagged only when repository is given', () => {
    const [p] = plan({ sources: [`mcr.microsoft.com/app@${DIGEST}`], repositories: ['mirror/app'] })
    expect(toImportParameters(p)).toMatchObject({ untaggedTargetRepositories: ['mirror/app'] })
    expect(toImportParameters(p).targetTags).toBeUndefined()
  })

  it('takes per-line targets from SOURCE => TARGET lines, and strips the target login server', () => {
    const plans = plan({
      sources: [
        'docker.io/library/node:22-alpine => base/node:22-alpine, prodacr.azurecr.io/base/node:22',
        'redis:7'
      ]
    })
    expect(plans.map((p) => p.targetTags)).toEqual([
      ['base/node:22-alpine', 'base/node:22'],
      ['library/redis:7']
    ])
  })

  it.each([
    [{ sources: ['nginx'], username: 'me' }, /Authentication failed: a username needs a password/],
    [{ sources: [] }, /No source was given/],
    [{ sources: ['nginx', 'redis'], images: ['x:1'] }, /only when there is one source/],
    [{ sources: ['nginx => web:1'], images: ['x:1'] }, /both with => and with image/],
    [{ sources: ['nginx =>'] }, /Malformed source line/],
    [{ sources: ['nginx => other.azurecr.io/web:1'] }, /names another registry/],
    [{ sources: ['nginx => web:1', 'redis => web:1'] }, /written by both/],
    [{ sources: ['Nginx'] }, /Malformed source reference 'Nginx'/]
  ])('rejects %j', (overrides, message) => {
    expect(() => plan(overrides as Partial<ImportRequest>)).toThrow(message)
  })

  it('validates references before anything goes to Azure', () => {
    expect(() => validateRequest(request({ sources: ['nginx@sha256:1'] }))).toThrow(/not a sha256 digest/)
  })
})
