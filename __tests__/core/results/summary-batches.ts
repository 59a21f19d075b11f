// Batches as the execution hands them to the summary, for the summary's tests and its rendering test: real
// shapes (full digests, login servers in every target, an images file's origins), no test bed needed.
import type { ImportResult } from '../../../src/core/execute/import-result.js'
import type { SummaryOptions } from '../../../src/core/results/summary-options.js'

export const REGISTRY = 'prodacr.azurecr.io'

/** A 64-hex digest that differs per `seed`. */
export const digestOf = (seed: number): string => `sha256:${seed.toString(16).padStart(2, '0').repeat(32)}`

const result = (over: Partial<ImportResult> & Pick<ImportResult, 'source' | 'status'>): ImportResult => ({
  targets: [],
  digest: '',
  platforms: [],
  durationMs: 4200,
  ...over
})

/** A nightly batch: a tag pattern (two imports, one of three tags), plain images, one failure, signatures. */
export function batchWithFailureAndPattern(): { results: ImportResult[]; options: SummaryOptions } {
  const results: ImportResult[] = [
    result({
      source: 'docker.io/library/nginx:1.27.1',
      targets: ['1.27.1', '1.27', 'mainline'].map((t) => `${REGISTRY}/mirror/library/nginx:${t}`),
      digest: digestOf(1),
      platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7', 'linux/386', 'linux/ppc64le', 'linux/s390x'],
      status: 'imported'
    }),
    result({
      source: 'docker.io/library/nginx:1.27.0',
      targets: [`${REGISTRY}/mirror/library/nginx:1.27.0`],
      digest: digestOf(2),
      platforms: ['linux/amd64', 'linux/arm64'],
      status: 'unchanged'
    }),
    result({
      source: 'mcr.microsoft.com/dotnet/aspnet:8.0-bookworm-slim',
      targets: [`${REGISTRY}/base/dotnet/aspnet:8.0-bookworm-slim`, `${REGISTRY}/base/dotnet/aspnet:8.0`],
      digest: digestOf(3),
      platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'],
      status: 'imported',
      referrers: [
        { digest: digestOf(30), artifactType: 'application/vnd.cncf.notary.signature' },
        { digest: digestOf(31), artifactType: 'application/spdx+json' }
      ],
      locked: true
    }),
    result({
      source: 'ghcr.io/contoso-platform-engineering/observability/otel-collector-contrib:0.115.1',
      targets: [`${REGISTRY}/platform/observability/otel-collector-contrib:0.115.1`],
      status: 'failed',
      error:
        `Target tag 'platform/observability/otel-collector-contrib:0.115.1' already holds another image ` +
        `(${digestOf(9)}). Give force: true to the entry to overwrite it, or choose another target tag`
    }),
    result({
      source: 'devacr.azurecr.io/app:1.1.0',
      targets: [`${REGISTRY}/app:1.1.0`, `${REGISTRY}/archive/app`],
      digest: digestOf(4),
      status: 'imported'
    })
  ]
  const options: SummaryOptions = {
    registry: REGISTRY,
    entries: [
      { name: 'docker.io/library/nginx:1.27.1 (+ 1.27, mainline)', origin: 'images.yaml line 3' },
      { name: 'docker.io/library/nginx:1.27.0', origin: 'images.yaml line 3' },
      { name: 'mcr.microsoft.com/dotnet/aspnet:8.0-bookworm-slim', origin: 'images.yaml line 8' },
      {
        name: 'ghcr.io/contoso-platform-engineering/observability/otel-collector-contrib:0.115.1',
        origin: 'images.yaml line 12'
      },
      { name: 'devacr.azurecr.io/app:1.1.0', origin: 'source line 1' }
    ],
    patterns: [
      {
        source: 'docker.io/library/nginx',
        origin: 'images.yaml line 3',
        matched: 4,
        imported: 3,
        unchanged: 1,
        failed: 0,
        notListed: false
      },
      {
        source: 'docker.io/library/redis',
        origin: 'images.yaml line 16',
        matched: 0,
        imported: 0,
        unchanged: 0,
        failed: 0,
        notListed: false
      }
    ]
  }
  return { results, options }
}

/** A rerun where nothing upstream changed: `count` unchanged images and one that was imported. */
export function rerunBatch(count: number): { results: ImportResult[]; options: SummaryOptions } {
  const unchanged = Array.from({ length: count }, (_, i) =>
    result({
      source: `docker.io/library/app${i}:1.0`,
      targets: [`${REGISTRY}/mirror/app${i}:1.0`],
      digest: digestOf(i + 40),
      platforms: ['linux/amd64'],
      status: 'unchanged',
      durationMs: 300
    })
  )
  const imported = result({
    source: 'docker.io/library/busybox:1.36',
    targets: [`${REGISTRY}/mirror/busybox:1.36`],
    digest: digestOf(7),
    platforms: ['linux/amd64'],
    status: 'imported'
  })
  const results = [...unchanged, imported]
  return {
    results,
    options: {
      registry: REGISTRY,
      entries: results.map((r, i) => ({
        name: r.source.replace('docker.io/library/', ''),
        origin: `images.yaml line ${i + 2}`
      }))
    }
  }
}

/** A dry run of a tag pattern: three tags would be imported (two share a digest), one is unchanged. */
export function dryRunBatch(): { results: ImportResult[]; options: SummaryOptions } {
  const planned = (tags: string[], seed: number, status: ImportResult['status'] = 'planned') =>
    result({
      source: `docker.io/library/nginx:${tags[0]}`,
      targets: tags.map((t) => `${REGISTRY}/mirror/library/nginx:${t}`),
      digest: digestOf(seed),
      platforms: ['linux/amd64', 'linux/arm64'],
      status,
      durationMs: 900
    })
  const results = [
    planned(['1.27.3', '1.27'], 11),
    planned(['1.27.2'], 12),
    planned(['1.26.3'], 13, 'unchanged')
  ]
  return {
    results,
    options: {
      dryRun: true,
      registry: REGISTRY,
      entries: [
        { name: 'nginx:1.27.3 (+ 1.27)', origin: 'images.yaml line 2' },
        { name: 'nginx:1.27.2', origin: 'images.yaml line 2' },
        { name: 'nginx:1.26.3', origin: 'images.yaml line 2' }
      ],
      patterns: [
        {
          source: 'docker.io/library/nginx',
          origin: 'images.yaml line 2',
          matched: 4,
          imported: 3,
          unchanged: 1,
          failed: 0,
          notListed: false
        }
      ]
    }
  }
}

/**
 * A release promotion under signature policies: verified by a cosign key, by a keyless bundle and by Notation, one
 * let through unverified by audit mode, one refused by enforce (its line says what was found and why), one
 * entry without a policy.
 */
export function signedBatch(): { results: ImportResult[]; options: SummaryOptions } {
  const verified = (
    policy: string,
    kind: 'cosign' | 'sigstore-bundle' | 'notation',
    signer: string,
    seed: number
  ) => ({ verified: true, policy, kind, signer, digest: digestOf(seed) }) as const
  const refusal =
    `2 signatures found (cosign, notation); none verifies with release-key or contoso-ca: cosign: signed by ` +
    `another key; notation: certificate chain ends at 'Contoso Dev Root CA', not in the trust store`
  const results: ImportResult[] = [
    result({
      source: 'devacr.azurecr.io/payments/api:2.8.0',
      targets: [`${REGISTRY}/payments/api:2.8.0`],
      digest: digestOf(51),
      platforms: ['linux/amd64', 'linux/arm64'],
      status: 'imported',
      signature: verified(
        'release-key',
        'cosign',
        'SHA256:Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5d2FsZG8',
        61
      )
    }),
    result({
      source: 'ghcr.io/contoso/app:1.4.2',
      targets: [`${REGISTRY}/apps/app:1.4.2`],
      digest: digestOf(52),
      status: 'imported',
      signature: verified(
        'github-release',
        'sigstore-bundle',
        'https://github.com/contoso/app/.github/workflows/release.yml@refs/tags/v1.4.2',
        62
      )
    }),
    result({
      source: 'devacr.azurecr.io/payments/worker:2.8.0',
      targets: [`${REGISTRY}/payments/worker:2.8.0`],
      digest: digestOf(53),
      status: 'unchanged',
      signature: verified(
        'contoso-ca',
        'notation',
        'C=US, ST=WA, L=Seattle, O=Contoso, CN=release.contoso.example',
        63
      )
    }),
    result({
      source: 'docker.io/library/nginx:1.27',
      targets: [`${REGISTRY}/base/nginx:1.27`],
      digest: digestOf(54),
      status: 'imported',
      signature: {
        verified: false,
        mode: 'audit',
        reason: `no signature found for ${digestOf(54)}; github-release requires one`
      }
    }),
    result({
      source: 'devacr.azurecr.io/payments/ledger:2.8.0',
      targets: [`${REGISTRY}/payments/ledger:2.8.0`],
      status: 'failed',
      error: `Signature not verified: ${refusal}.`,
      signature: { verified: false, mode: 'enforce', reason: refusal }
    }),
    result({
      source: 'mcr.microsoft.com/dotnet/runtime:8.0',
      targets: [`${REGISTRY}/base/dotnet/runtime:8.0`],
      digest: digestOf(55),
      status: 'imported'
    })
  ]
  return {
    results,
    options: {
      registry: REGISTRY,
      entries: results.map((r, i) => ({ name: r.source, origin: `images.yaml line ${4 * i + 6}` }))
    }
  }
}
