// The entries stage (pure: what the user wrote, checked before the network) and the resolve stage's decision of
// how ARM reaches each source, down to the importImage body.
import { describe, expect, it } from '@jest/globals'
import type { RegistryInfo } from '../../src/core/arm/registry-info.js'
import { resolveCloud } from '../../src/core/cloud/clouds.js'
import { readEntries } from '../../src/core/pipeline.js'
import { describePlan, toImportParameters, type PlannedImport } from '../../src/core/plan/planned-import.js'
import type { StepRequest } from '../../src/core/request/step-request.js'
import { resolveEntry, type SourceRegistry } from '../../src/core/resolve/resolve-entries.js'
import type { ResolvedEntry } from '../../src/core/resolve/source-access.js'
import { EntryLog } from '../../src/core/log/entry-log.js'
import { stepRequest } from './step-request.js'

const SUB = '11111111-1111-4111-8111-111111111111'
const registry = (name: string): RegistryInfo => ({
  id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/${name}`,
  name,
  subscriptionId: SUB,
  resourceGroup: 'rg',
  loginServer: `${name.toLowerCase()}.azurecr.io`
})
const prod = registry('prodacr')
const dev = registry('devacr')
const DIGEST = `sha256:${'b'.repeat(64)}`
const cloud = resolveCloud({})

const request = stepRequest

const entries = (overrides: Partial<StepRequest>) => readEntries(request(overrides), cloud).entries

/** Entries resolved as the resolve stage does, with `dev` and `prod` visible, then planned with a source read. */
function plans(
  overrides: Partial<StepRequest>,
  sourceRegistry?: SourceRegistry,
  digest?: string
): PlannedImport[] {
  return entries(overrides).map((entry) => ({
    ...resolveEntry(entry, sourceRegistry, [prod, dev], prod),
    source: digest
      ? { kind: 'read', manifest: { digest, platforms: [] } }
      : { kind: 'unreadable', reason: 'not read' },
    targetsBefore: new Map(),
    decision: { kind: 'import' },
    log: new EntryLog(),
    started: 0
  }))
}

describe('entries and how ARM reaches their sources', () => {
  it('sends a public source by registryUri with the source repo:tag as target', () => {
    const [p] = plans({ sourceLines: ['nginx:1.27'] })
    expect(toImportParameters(p)).toEqual({
      source: { registryUri: 'docker.io', sourceImage: 'library/nginx:1.27', credentials: undefined },
      targetTags: ['library/nginx:1.27'],
      untaggedTargetRepositories: undefined,
      mode: 'NoForce'
    })
  })

  it('imports the digest read from the source, so the target gets exactly what was read', () => {
    const [p] = plans(
      { sourceLines: ['mcr.microsoft.com/dotnet/runtime:8.0'], images: ['dotnet/runtime'], force: true },
      undefined,
      DIGEST
    )
    expect(toImportParameters(p)).toMatchObject({
      source: { registryUri: 'mcr.microsoft.com', sourceImage: `dotnet/runtime@${DIGEST}` },
      targetTags: ['dotnet/runtime:8.0'],
      mode: 'Force'
    })
  })

  it('sends a same-tenant ACR source by resource ID, also by its regional endpoint', () => {
    const [byLogin] = plans({ sourceLines: ['devacr.azurecr.io/app:1'] })
    expect(toImportParameters(byLogin).source).toEqual({ resourceId: dev.id, sourceImage: 'app:1' })
    const [byRegion] = plans({ sourceLines: ['devacr.eastus.geo.azurecr.io/app:1'] })
    expect(byRegion.access).toEqual({ kind: 'resourceId', registry: dev })
  })

  it('sends an ACR source by URI with credentials when a password is given', () => {
    const credentials = { username: 'puller', password: 's3cret' }
    const [p] = plans({ sourceLines: ['devacr.azurecr.io/app:1'], credentials })
    expect(toImportParameters(p).source).toEqual({
      registryUri: 'devacr.azurecr.io',
      sourceImage: 'app:1',
      credentials
    })
    expect(describePlan(p)).not.toContain('s3cret')
  })

  it('reads sources inside source-registry and strips its login server with a notice', () => {
    const [p] = plans(
      { sourceLines: ['devacr.azurecr.io/team/app:2'], sourceRegistry: 'devacr' },
      {
        kind: 'acr',
        registry: dev
      }
    )
    expect(toImportParameters(p).source).toEqual({ resourceId: dev.id, sourceImage: 'team/app:2' })
    expect(p.entry.notices.join()).toMatch(/read as 'team\/app:2'/)
  })

  it('makes a digest-only source target repo:latest, and keeps the digest as the source image', () => {
    const [p] = plans({ sourceLines: [`mcr.microsoft.com/app@${DIGEST}`] })
    expect(toImportParameters(p)).toMatchObject({
      source: { sourceImage: `app@${DIGEST}` },
      targetTags: ['app:latest']
    })
  })

  it('copies untagged only when repository is given', () => {
    const [p] = plans({ sourceLines: [`mcr.microsoft.com/app@${DIGEST}`], repositories: ['mirror/app'] })
    expect(toImportParameters(p)).toMatchObject({ untaggedTargetRepositories: ['mirror/app'] })
    expect(toImportParameters(p).targetTags).toBeUndefined()
  })

  it('takes per-line targets from SOURCE => TARGET lines, and strips the target login server', () => {
    const found = entries({
      sourceLines: [
        'docker.io/library/node:22-alpine => base/node:22-alpine, prodacr.azurecr.io/base/node:22',
        'redis:7'
      ]
    })
    expect(found.map((e) => e.targetTags)).toEqual([
      ['base/node:22-alpine', 'base/node:22'],
      ['library/redis:7']
    ])
  })

  it.each([
    [{ sourceLines: ['nginx', 'redis'], images: ['x:1'] }, /only when there is one source/],
    [{ sourceLines: ['nginx => web:1'], images: ['x:1'] }, /both with => and with image/],
    [{ sourceLines: ['nginx => web:1'], repositories: ['x'] }, /both with => and with repository/],
    [{ sourceLines: ['nginx =>'] }, /Malformed source line/],
    [{ sourceLines: ['nginx => ghcr.io/web:1'] }, /names ghcr.io, which is not an Azure Container Registry/],
    [
      { sourceLines: ['nginx => web:1, prodweu.azurecr.io/web:1', 'alpine => prodweu.azurecr.io/web:1'] },
      /Target 'prodweu.azurecr.io\/web:1' is written by both source line 1 \(nginx\) and source line 2 \(alpine\)/
    ],
    [{ sourceLines: ['nginx => web:1', 'redis => web:1'] }, /written by both/],
    [{ sourceLines: ['Nginx'] }, /Malformed source reference 'Nginx'/],
    [{ sourceLines: ['nginx@sha256:1'] }, /not a sha256 digest/],
    [{ sourceLines: ['nginx'], repositories: ['mirror/nginx:1'] }, /Repository 'mirror\/nginx:1' has a tag/],
    [
      { sourceLines: ['docker.io/library/nginx:1'], sourceRegistry: 'devacr' },
      /names the registry docker.io/
    ],
    [
      {
        sourceLines: ['app:1'],
        sourceRegistry: dev.id,
        credentials: { username: 'u', password: 'p' }
      },
      /given by resource ID is read with your Entra identity/
    ],
    [{ registry: 'har', sourceLines: ['nginx'] }, /'har', which is not a registry name/],
    [{ registry: 'harness_target', sourceLines: ['nginx'] }, /not a registry name/],
    [
      { registry: 'https://prodacr.azurecr.io', sourceLines: ['nginx'] },
      /not an Azure Container Registry login server/
    ],
    [
      { registry: 'prodacr.azurecr.io/team', sourceLines: ['nginx'] },
      /not an Azure Container Registry login server/
    ],
    [
      { registry: 'prodacr.azurecr.cn', sourceLines: ['nginx'] },
      /not an Azure Container Registry login server/
    ],
    [
      {
        registry:
          '/subscriptions/xyz/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/prodacr',
        sourceLines: ['nginx']
      },
      /is not a container registry resource ID/
    ],
    [
      { sourceLines: ['nginx'], sourceRegistry: '/subscriptions/x' },
      /is not a container registry resource ID/
    ]
  ])('refuses %j before the network', (overrides, message) => {
    expect(() => entries(overrides as Partial<StepRequest>)).toThrow(message)
  })

  it('accepts the target login server, a name, and a resource ID for the registry', () => {
    for (const name of ['prodacr', 'ProdAcr', 'prodacr.azurecr.io', prod.id]) {
      expect(readEntries(request({ registry: name, sourceLines: ['nginx'] }), cloud).target.loginServer).toBe(
        'prodacr.azurecr.io'
      )
    }
  })

  it("splits an entry whose targets name several registries into one entry per registry, the step's first", () => {
    const split = entries({
      sourceLines: [
        'nginx:1.27 => web:1.27, ProdWeu.azurecr.io/web:1.27, prodweu.azurecr.io/web:stable, prodacr.azurecr.io/web:latest'
      ]
    })
    expect(split.map((e) => [e.targetRegistry?.loginServer, e.targetTags])).toEqual([
      [undefined, ['web:1.27', 'web:latest']],
      ['prodweu.azurecr.io', ['web:1.27', 'web:stable']]
    ])
    expect(split.map((e) => [e.written, e.origin])).toEqual([
      ['nginx:1.27', 'source line 1'],
      ['nginx:1.27', 'source line 1']
    ])
  })

  it("writes untagged repositories and a pattern's target repositories into the registry they name", () => {
    const [own, other] = entries({
      sourceLines: ['nginx'],
      repositories: ['archive/nginx', 'prodweu.azurecr.io/archive/nginx']
    })
    expect([own.untaggedRepositories, own.targetRegistry]).toEqual([['archive/nginx'], undefined])
    expect([other.untaggedRepositories, other.targetRegistry?.name]).toEqual([['archive/nginx'], 'prodweu'])
    const patterns = entries({
      sourceLines: ['nginx => mirror/nginx, prodweu.azurecr.io/mirror/nginx'],
      tags: { semver: '>=1.26', prerelease: false }
    })
    expect(patterns.map((e) => [e.targetRegistry?.name, e.tagPattern?.targetRepositories])).toEqual([
      [undefined, ['mirror/nginx']],
      ['prodweu', ['mirror/nginx']]
    ])
  })

  it('resolves nothing by itself: an entry of a host that no visible ACR has goes by URI', () => {
    const [entry] = entries({ sourceLines: ['other.azurecr.io/app:1'] })
    const resolved: ResolvedEntry = resolveEntry(entry, undefined, [prod, dev], prod)
    expect(resolved.access).toEqual({ kind: 'registryUri', credentials: undefined })
  })
})
