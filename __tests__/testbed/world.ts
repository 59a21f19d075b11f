// The fixed world the local Azure test bed serves: tenants, subscriptions, apps, registries, role assignments
// and seeded images. Tests and the demo refer to these facts by name; nothing here is random, so a failing
// test names the same objects every run. Secrets here are test-only values.
import {
  cosignSignedGraph,
  multiArchAttestedGraph,
  referrersTagSchemaGraph,
  signedImageGraph,
  type SupplyChainGraph
} from './registry/supply-chain.js'

export const TENANT_A = '72f988bf-86f1-41af-91ab-2d7cd011db47' // home tenant of the pipelines' identities
export const TENANT_B = 'b1e7c0de-0000-4000-8000-00000000000b' // a partner's tenant

export const SUB_PROD = '11111111-1111-4111-8111-111111111111' // holds prodacr, devacr, lockedacr
export const SUB_SHARED = '22222222-2222-4222-8222-222222222222' // same tenant, another subscription
export const SUB_PARTNER = '33333333-3333-4333-8333-333333333333' // tenant B

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com'
export const ADO_ORG_ID = '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0'
export const ADO_ISSUER = `https://vstoken.dev.azure.com/${ADO_ORG_ID}`
export const FEDERATED_AUDIENCE = 'api://AzureADTokenExchange'

export const ARM_ENDPOINT = 'https://management.azure.com'
export const AUTHORITY_HOST = 'https://login.microsoftonline.com'
export const ACR_AUDIENCE = 'https://containerregistry.azure.net'

export type RoleName =
  | 'Owner'
  | 'Contributor'
  | 'Reader'
  | 'AcrPull'
  | 'AcrPush'
  | 'Container Registry Repository Writer'
  | 'Container Registry Data Importer and Data Reader'
  | 'AcrImportOnly (custom)'

/** ARM and data actions each role grants (the subset the test bed checks): the built-in roles and one custom. */
export const ROLE_ACTIONS: Record<RoleName, string[]> = {
  Owner: ['*'],
  Contributor: ['*'],
  Reader: ['Microsoft.ContainerRegistry/registries/read'],
  AcrPull: ['Microsoft.ContainerRegistry/registries/pull/read'],
  AcrPush: [
    'Microsoft.ContainerRegistry/registries/pull/read',
    'Microsoft.ContainerRegistry/registries/push/write'
  ],
  // The ABAC repository role (its repository conditions are not modelled: it applies to every repository).
  'Container Registry Repository Writer': [
    'Microsoft.ContainerRegistry/registries/pull/read',
    'Microsoft.ContainerRegistry/registries/push/write'
  ],
  'Container Registry Data Importer and Data Reader': [
    'Microsoft.ContainerRegistry/registries/importImage/action',
    'Microsoft.ContainerRegistry/registries/read',
    'Microsoft.ContainerRegistry/registries/pull/read'
  ],
  // A custom role that may import and read the registry resource, but not pull: nothing the runner can read.
  'AcrImportOnly (custom)': [
    'Microsoft.ContainerRegistry/registries/importImage/action',
    'Microsoft.ContainerRegistry/registries/read'
  ]
}

export interface FederatedCredential {
  issuer: string
  subject: string
  audience: string
}

/** An app registration (service principal). `objectId` is what role assignments name. */
export interface AppModel {
  displayName: string
  tenantId: string
  appId: string
  objectId: string
  clientSecret?: string
  /** The app has a registered certificate; its PEM (cert + key) is generated at start-up. */
  hasCertificate?: boolean
  federated: FederatedCredential[]
}

export interface RegistryModel {
  name: string
  subscriptionId: string
  resourceGroup: string
  tenantId: string
  location: string
  publicNetworkAccess: 'Enabled' | 'Disabled'
  /** Repository-scoped tokens (scope maps): username/password with pull rights on the listed repositories. */
  tokens: { username: string; password: string; repositories: string[] }[]
}

export const loginServerOf = (r: RegistryModel): string => `${r.name.toLowerCase()}.azurecr.io`
export const resourceIdOf = (r: RegistryModel): string =>
  `/subscriptions/${r.subscriptionId}/resourceGroups/${r.resourceGroup}/providers/Microsoft.ContainerRegistry/registries/${r.name}`

export const APPS = {
  /** The GitHub workflow's identity: OIDC for the main branch and the production environment, plus a secret and a certificate. */
  github: {
    displayName: 'gh-acr-import',
    tenantId: TENANT_A,
    appId: 'a1b2c3d4-0001-4000-8000-000000000001',
    objectId: 'a1b2c3d4-0001-4000-8000-0000000000a1',
    clientSecret: 'gh-app-secret-Q7~not-a-real-secret',
    hasCertificate: true,
    federated: [
      {
        issuer: GITHUB_ISSUER,
        subject: 'repo:contoso/app:ref:refs/heads/main',
        audience: FEDERATED_AUDIENCE
      },
      {
        issuer: GITHUB_ISSUER,
        subject: 'repo:contoso/app:environment:production',
        audience: FEDERATED_AUDIENCE
      }
    ]
  },
  /** The Azure DevOps service connection's identity. */
  ado: {
    displayName: 'ado-acr-import',
    tenantId: TENANT_A,
    appId: 'a1b2c3d4-0002-4000-8000-000000000002',
    objectId: 'a1b2c3d4-0002-4000-8000-0000000000a2',
    clientSecret: 'ado-app-secret-W9~not-a-real-secret',
    hasCertificate: true,
    federated: [
      { issuer: ADO_ISSUER, subject: 'sc://contoso/app/prod-connection', audience: FEDERATED_AUDIENCE }
    ]
  },
  /** A service principal whose app ID and password are used as source credentials (AcrPull on devacr). */
  sourceReader: {
    displayName: 'devacr-reader',
    tenantId: TENANT_A,
    appId: 'a1b2c3d4-0003-4000-8000-000000000003',
    objectId: 'a1b2c3d4-0003-4000-8000-0000000000a3',
    clientSecret: 'reader-secret-E4~not-a-real-secret',
    federated: []
  },
  /** Signs in fine but has no role anywhere: every import answers 403. */
  noRoles: {
    displayName: 'no-roles',
    tenantId: TENANT_A,
    appId: 'a1b2c3d4-0004-4000-8000-000000000004',
    objectId: 'a1b2c3d4-0004-4000-8000-0000000000a4',
    clientSecret: 'noroles-secret-R2~not-a-real-secret',
    federated: []
  },
  /**
   * May import into prodacr and read lockedacr and devacr through ARM (so import from them by resource ID), but
   * pull from none: no digest is readable, no referrer listable.
   */
  importOnly: {
    displayName: 'import-only',
    tenantId: TENANT_A,
    appId: 'a1b2c3d4-0006-4000-8000-000000000006',
    objectId: 'a1b2c3d4-0006-4000-8000-0000000000a6',
    clientSecret: 'importonly-secret-T3~not-a-real-secret',
    federated: []
  },
  /**
   * Imports into prodacr and reads devacr ("Container Registry Data Importer and Data Reader" on both) but holds
   * no push role: it cannot lock tags (no `metadata_write`). Signs in with its secret, GitHub OIDC for the
   * `staging` environment, or the Azure DevOps connection `import-reader-connection`.
   */
  importReader: {
    displayName: 'import-reader',
    tenantId: TENANT_A,
    appId: 'a1b2c3d4-0007-4000-8000-000000000007',
    objectId: 'a1b2c3d4-0007-4000-8000-0000000000a7',
    clientSecret: 'importreader-secret-U6~not-a-real-secret',
    federated: [
      {
        issuer: GITHUB_ISSUER,
        subject: 'repo:contoso/app:environment:staging',
        audience: FEDERATED_AUDIENCE
      },
      {
        issuer: ADO_ISSUER,
        subject: 'sc://contoso/app/import-reader-connection',
        audience: FEDERATED_AUDIENCE
      }
    ]
  }
} satisfies Record<string, AppModel>

/** The managed identity a self-hosted runner/agent on an Azure VM would have. */
export const MANAGED_IDENTITY = {
  tenantId: TENANT_A,
  clientId: 'a1b2c3d4-0005-4000-8000-000000000005',
  objectId: 'a1b2c3d4-0005-4000-8000-0000000000a5'
}

export const REGISTRIES = {
  /** The import target. Starts empty. */
  prod: {
    name: 'prodacr',
    subscriptionId: SUB_PROD,
    resourceGroup: 'rg-prod',
    tenantId: TENANT_A,
    location: 'westeurope',
    publicNetworkAccess: 'Enabled',
    tokens: []
  },
  /** Dev registry in the same subscription: release promotion source. */
  dev: {
    name: 'devacr',
    subscriptionId: SUB_PROD,
    resourceGroup: 'rg-dev',
    tenantId: TENANT_A,
    location: 'westeurope',
    publicNetworkAccess: 'Enabled',
    tokens: []
  },
  /** Public network access disabled: only reachable by resource ID (trusted services). */
  locked: {
    name: 'lockedacr',
    subscriptionId: SUB_PROD,
    resourceGroup: 'rg-dev',
    tenantId: TENANT_A,
    location: 'westeurope',
    publicNetworkAccess: 'Disabled',
    tokens: []
  },
  /** Another subscription of the same tenant. */
  shared: {
    name: 'sharedacr',
    subscriptionId: SUB_SHARED,
    resourceGroup: 'rg-shared',
    tenantId: TENANT_A,
    location: 'northeurope',
    publicNetworkAccess: 'Enabled',
    tokens: []
  },
  /**
   * A second production registry in another subscription of the tenant (another region, no geo-replication):
   * the pipelines import into it too, the fan-out case. Starts empty.
   */
  prodNorth: {
    name: 'prodneu',
    subscriptionId: SUB_SHARED,
    resourceGroup: 'rg-prod-neu',
    tenantId: TENANT_A,
    location: 'northeurope',
    publicNetworkAccess: 'Enabled',
    tokens: []
  },
  /** Another tenant: reachable only with a repository-scoped token. */
  partner: {
    name: 'partneracr',
    subscriptionId: SUB_PARTNER,
    resourceGroup: 'rg-partner',
    tenantId: TENANT_B,
    location: 'eastus',
    publicNetworkAccess: 'Enabled',
    tokens: [
      {
        username: 'contoso-pull',
        password: 'partner-token-P5~not-a-real-secret',
        repositories: ['partner/tool']
      }
    ]
  }
} satisfies Record<string, RegistryModel>

export const ROLE_ASSIGNMENTS: { principalObjectId: string; scope: string; role: RoleName }[] = [
  // The pipelines import into prod and read every same-tenant source.
  ...[APPS.github.objectId, APPS.ado.objectId, MANAGED_IDENTITY.objectId].flatMap((principalObjectId) => [
    {
      principalObjectId,
      scope: resourceIdOf(REGISTRIES.prod),
      role: 'Container Registry Data Importer and Data Reader' as const
    },
    {
      principalObjectId,
      scope: resourceIdOf(REGISTRIES.dev),
      role: 'Container Registry Data Importer and Data Reader' as const
    },
    { principalObjectId, scope: resourceIdOf(REGISTRIES.locked), role: 'Reader' as const },
    { principalObjectId, scope: `/subscriptions/${SUB_SHARED}`, role: 'Reader' as const },
    { principalObjectId, scope: resourceIdOf(REGISTRIES.shared), role: 'AcrPull' as const },
    // Locking target tags (ACR's changeable attributes) needs `metadata_write`, which AcrPush grants.
    { principalObjectId, scope: resourceIdOf(REGISTRIES.prod), role: 'AcrPush' as const },
    {
      principalObjectId,
      scope: resourceIdOf(REGISTRIES.prodNorth),
      role: 'Container Registry Data Importer and Data Reader' as const
    },
    { principalObjectId, scope: resourceIdOf(REGISTRIES.prodNorth), role: 'AcrPush' as const }
  ]),
  ...[REGISTRIES.prod, REGISTRIES.dev].map((registry) => ({
    principalObjectId: APPS.importReader.objectId,
    scope: resourceIdOf(registry),
    role: 'Container Registry Data Importer and Data Reader' as const
  })),
  { principalObjectId: APPS.sourceReader.objectId, scope: resourceIdOf(REGISTRIES.dev), role: 'AcrPull' },
  {
    principalObjectId: APPS.importOnly.objectId,
    scope: resourceIdOf(REGISTRIES.prod),
    role: 'AcrImportOnly (custom)'
  },
  { principalObjectId: APPS.importOnly.objectId, scope: resourceIdOf(REGISTRIES.locked), role: 'Reader' },
  // It may import from devacr by resource ID (ARM read suffices) but not pull there: it cannot list the
  // referrers of what it imports, the case of the role hint for a source.
  { principalObjectId: APPS.importOnly.objectId, scope: resourceIdOf(REGISTRIES.dev), role: 'Reader' }
]

/** Docker Hub accounts: a private repository needs these credentials; they also lift the anonymous pull limit. */
export const DOCKER_HUB_USER = { username: 'contosobot', password: 'dckr_pat_not-a-real-token-7Hq' }
/** A non-Azure private registry (basic auth through a token service). */
export const PRIVATE_REGISTRY = {
  host: 'registry.contoso.com',
  username: 'ci-puller',
  password: 'contoso-registry-pw-K8~not-a-real-secret'
}

/**
 * Images seeded at start. `kind` says what the fixture builder makes; every blob is small random-ish bytes
 * derived from the name, so digests are stable across runs.
 */
export const SEEDED_IMAGES = [
  { host: 'docker.io', repo: 'library/hello-world', tag: 'latest', kind: 'index' }, // linux/amd64, linux/arm64, linux/arm/v7
  { host: 'docker.io', repo: 'library/busybox', tag: '1.36', kind: 'docker-v2' },
  { host: 'docker.io', repo: 'library/alpine', tag: '3.20', kind: 'oci' },
  { host: 'docker.io', repo: 'contosobot/private-app', tag: '1.0', kind: 'oci' }, // private: needs DOCKER_HUB_USER
  { host: 'mcr.microsoft.com', repo: 'windows/servercore', tag: 'ltsc2019', kind: 'docker-v2' },
  { host: 'registry.contoso.com', repo: 'team/service', tag: '2.3.1', kind: 'oci' },
  { host: 'devacr.azurecr.io', repo: 'app', tag: '1.0.0', kind: 'index' },
  { host: 'devacr.azurecr.io', repo: 'app', tag: '1.1.0', kind: 'oci' },
  { host: 'devacr.azurecr.io', repo: 'charts/podinfo', tag: '6.5.0', kind: 'helm' },
  { host: 'lockedacr.azurecr.io', repo: 'secure/app', tag: '1.0.0', kind: 'oci' },
  { host: 'sharedacr.azurecr.io', repo: 'shared/base', tag: '1.0', kind: 'docker-v2' },
  { host: 'partneracr.azurecr.io', repo: 'partner/tool', tag: '2.0', kind: 'oci' },
  { host: 'prodacr.azurecr.io', repo: 'app', tag: 'existing', kind: 'oci' } // a tag NoForce must not overwrite
] as const

/**
 * A repository with many tags, as a tag-pattern feature meets them (nginx's scheme): semver releases, a
 * prerelease, variants, and moving aliases that point at the same digest as the release they follow. Every
 * distinct image is a single-platform Docker image; all of them share one layer blob, so seeding stays cheap.
 * 20 tags: more than one page for any client that asks for a page of 10 or fewer.
 */
export const NGINX_TAGS = {
  releases: ['1.26.0', '1.26.1', '1.26.2', '1.26.3', '1.27.0', '1.27.1', '1.27.2', '1.27.3'],
  prereleases: ['1.28.0-rc.1'],
  variants: ['1.26.3-alpine', '1.27.2-alpine', '1.27.3-alpine'],
  /** alias -> the tag whose image it points at. */
  aliases: {
    '1.26': '1.26.3',
    stable: '1.26.3',
    '1.27': '1.27.3',
    mainline: '1.27.3',
    latest: '1.27.3',
    alpine: '1.27.3-alpine',
    '1.27-alpine': '1.27.3-alpine',
    'mainline-alpine': '1.27.3-alpine'
  } as Record<string, string>
}

/** Where the many-tag repository is seeded: Docker Hub's official nginx, and its mirror in devacr. */
export const MANY_TAG_REPOSITORIES = [
  { host: 'docker.io', repo: 'library/nginx' },
  { host: 'devacr.azurecr.io', repo: 'nginx' }
] as const

/**
 * Signed images and their supply chain, seeded at start (registry/supply-chain.ts builds them; every digest is
 * known here without a registry: `SUPPLY_CHAIN.acrSigned.digest`, `.manifests.sbom.digest`,
 * `.referrersOf(digest)`, `.manifests.sig.tag`):
 * - acrSigned (devacr `signed/app:1.0.0`): `image`, its Notation `signature` and SPDX `sbom` (by `subject`),
 *   and `sbomSignature`, a Notation signature whose subject is the SBOM;
 * - acrMultiArch (devacr `signed/multiarch:1.0.0`): OCI `index` of `amd64` and `arm64`, a Notation
 *   `indexSignature` on the index, and an in-toto `amd64Attestation` / `arm64Attestation` on each platform;
 * - dockerHubCosign (Docker Hub `contoso/cosigned:1.0`): `image`, and cosign's `sig` and `att` manifests
 *   tagged `sha256-<hex>.sig` / `.att` (no `subject`);
 * - dockerHubReferrersTag (Docker Hub `contoso/oci-signed:1.0`): `image`, a Notation `signature` and an SPDX
 *   `sbom` by `subject`, and `referrersIndex`, the referrers tag schema's index tagged `sha256-<hex>` of the
 *   image (Docker Hub serves no referrers API).
 * To sign an image after the fact (a skip-unchanged run that must pick the signature up), build one with
 * registry/supply-chain.ts `notarySignatureOn(subject, seed)` and push it with registry/fixtures.ts
 * `pushGraphManifest(testbed.backend(host), repo, signature)`.
 */
export const SUPPLY_CHAIN = {
  acrSigned: signedImageGraph('devacr.azurecr.io', 'signed/app', '1.0.0'),
  acrMultiArch: multiArchAttestedGraph('devacr.azurecr.io', 'signed/multiarch', '1.0.0'),
  dockerHubCosign: cosignSignedGraph('docker.io', 'contoso/cosigned', '1.0'),
  dockerHubReferrersTag: referrersTagSchemaGraph('docker.io', 'contoso/oci-signed', '1.0')
} satisfies Record<string, SupplyChainGraph>
