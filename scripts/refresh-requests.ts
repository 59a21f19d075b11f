// The nightly refresh when nothing changed, counted request by request: an images file of Docker Hub images
// already mirrored, imported again by the built action against the test bed with a fixed delay on every
// request. Prints the step's time and its requests per image by kind. `npm run bench` uses it; run it alone
// with `tsx scripts/refresh-requests.ts` to see where a refresh's requests go.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runAction } from '../__tests__/action/run-action.js'
import { startTestbed, type Testbed } from '../__tests__/testbed/index.js'
import type { LoggedRequest } from '../__tests__/testbed/types.js'
import { APPS, NGINX_TAGS, SUB_PROD, TENANT_A } from '../__tests__/testbed/world.js'

const SIGN_IN = { 'client-id': APPS.github.appId, 'tenant-id': TENANT_A, 'subscription-id': SUB_PROD }

/** The refreshed images: every seeded nginx tag and four more Docker Hub repositories. */
export const REFRESH_IMAGES = [
  ...[...NGINX_TAGS.releases, ...NGINX_TAGS.variants, ...Object.keys(NGINX_TAGS.aliases)].map(
    (tag) => `docker.io/library/nginx:${tag}`
  ),
  'docker.io/library/hello-world:latest',
  'docker.io/library/busybox:1.36',
  'docker.io/library/alpine:3.20',
  'docker.io/contoso/cosigned:1.0'
]

export interface RefreshFigures {
  seconds: number
  requests: number
  perImage: number
  byKind: Record<string, number>
  dockerHubTokensPerRepository: number
  imports: number
}

/** A real network's round trip on every host a refresh talks to. */
function setLatency(testbed: Testbed, ms: number): void {
  for (const host of [
    'registry-1.docker.io',
    'auth.docker.io',
    'prodacr.azurecr.io',
    'management.azure.com',
    'login.microsoftonline.com'
  ])
    testbed.faults.latency(host, ms)
}

/** What a request is, for counting: the host's role and the API it called. */
function kindOf(request: LoggedRequest): string {
  const path = request.url.split('?')[0]
  const host = request.host.toLowerCase()
  const api = /\/manifests\//.test(path)
    ? `manifest ${request.method}`
    : /\/tags\/list$/.test(path)
      ? 'tags list'
      : /\/referrers\//.test(path)
        ? 'referrers'
        : /\/oauth2\/(exchange|token)$/.test(path)
          ? path.split('/').pop()!
          : /\/token$/.test(path)
            ? 'token'
            : /\/acr\/v1\/.*\/_tags\//.test(path)
              ? 'acr tag'
              : /\/acr\/v1\/.*\/_manifests\//.test(path)
                ? 'acr manifest'
                : /importImage$/i.test(path)
                  ? 'importImage'
                  : `${request.method} ${path.replace(/[0-9a-f-]{36}/g, '<id>')}`
  return `${host}: ${api}`
}

/** Imports the images once, then measures a second, unchanged run. */
export async function measureRefresh(
  testbed: Testbed,
  delayMs: number,
  target: string
): Promise<RefreshFigures> {
  const scratch = mkdtempSync(join(tmpdir(), 'acr-import-refresh-'))
  const file = join(scratch, 'images.yaml')
  writeFileSync(
    file,
    `images:\n${REFRESH_IMAGES.map((source) => `  - source: ${source}\n    targets: [${target}/${source.split('/').slice(1).join('/')}]`).join('\n')}\n`
  )
  // The first run imports one at a time: the test bed's registry answers two copies of one blob into one
  // repository at the same moment with a 500 (real ACR does not), and aliases share their release's blobs.
  const step = async (concurrency = 'auto') => {
    const run = await runAction({
      inputs: { registry: 'prodacr', 'images-file': file, concurrency, ...SIGN_IN },
      env: { ...testbed.env, ...testbed.githubOidc('repo:contoso/app:ref:refs/heads/main') },
      timeoutMs: 600_000
    })
    if (run.exitCode !== 0)
      throw new Error(`the refresh step failed: ${run.errors.join(' | ') || run.stderr}`)
    return run
  }
  try {
    await step('1')
    setLatency(testbed, delayMs)
    const before = testbed.requests.length
    const started = performance.now()
    const run = await step()
    const seconds = (performance.now() - started) / 1000
    const requests = testbed.requests.slice(before)
    if (process.env.TIMELINE) {
      for (const r of requests)
        console.log(
          `${((r.at ?? started) - started).toFixed(0).padStart(6)} ms  ${kindOf(r)}  ${r.url.split('?')[0].slice(0, 90)}`
        )
    }
    const byKind: Record<string, number> = {}
    for (const request of requests) byKind[kindOf(request)] = (byKind[kindOf(request)] ?? 0) + 1
    const statuses = (JSON.parse(run.outputs.results ?? '[]') as { status: string }[]).map((r) => r.status)
    if (statuses.some((s) => s !== 'unchanged'))
      throw new Error(`the refresh was not unchanged: ${statuses.join(', ')}`)
    const repositories = new Set(REFRESH_IMAGES.map((s) => s.split(':')[0])).size
    return {
      seconds,
      requests: requests.length,
      perImage: requests.length / REFRESH_IMAGES.length,
      byKind,
      dockerHubTokensPerRepository: (byKind['auth.docker.io: token'] ?? 0) / repositories,
      imports: byKind['management.azure.com: importImage'] ?? 0
    }
  } finally {
    setLatency(testbed, 0)
    rmSync(scratch, { recursive: true, force: true })
  }
}

/** The same refresh with `skopeo sync` (a client-side copy through the runner, pushing with AcrPush), timed alike. */
export async function measureSkopeoRefresh(
  testbed: Testbed,
  delayMs: number,
  target: string
): Promise<number> {
  const scratch = mkdtempSync(join(tmpdir(), 'acr-import-skopeo-'))
  const certs = join(scratch, 'certs')
  mkdirSync(certs)
  copyFileSync(testbed.env.NODE_EXTRA_CA_CERTS!, join(certs, 'ca.crt'))
  const byRepository = new Map<string, string[]>()
  for (const source of REFRESH_IMAGES) {
    const [repository, tag] = source.replace('docker.io/', '').split(':')
    byRepository.set(repository, [...(byRepository.get(repository) ?? []), tag])
  }
  const file = join(scratch, 'sync.yaml')
  writeFileSync(
    file,
    `docker.io:\n  cert-dir: ${certs}\n  images:\n${[...byRepository].map(([repo, tags]) => `    ${repo}: [${tags.map((t) => `'${t}'`).join(', ')}]`).join('\n')}\n`
  )
  // Asynchronous: the test bed serves from this very process.
  const sync = () =>
    promisify(execFile)(
      'skopeo',
      [
        'sync',
        '--src',
        'yaml',
        '--dest',
        'docker',
        '--dest-cert-dir',
        certs,
        '--dest-creds',
        `${APPS.github.appId}:${APPS.github.clientSecret}`,
        '--scoped',
        file,
        `prodacr.azurecr.io/${target}`
      ],
      { env: { ...process.env, ...testbed.env } }
    )
  try {
    await sync()
    setLatency(testbed, delayMs)
    const started = performance.now()
    await sync()
    return (performance.now() - started) / 1000
  } finally {
    setLatency(testbed, 0)
    rmSync(scratch, { recursive: true, force: true })
  }
}

if (process.argv[1]?.endsWith('refresh-requests.ts')) {
  const testbed = await startTestbed()
  try {
    const delay = Number(process.env.DELAY_MS ?? 40)
    const figures = await measureRefresh(testbed, delay, 'refresh')
    const byKind = Object.entries(figures.byKind).sort((a, b) => b[1] - a[1])
    console.log(JSON.stringify({ ...figures, byKind }, null, 2))
    console.log(`skopeo sync: ${(await measureSkopeoRefresh(testbed, delay, 'skopeo')).toFixed(2)} s`)
  } finally {
    await testbed.stop()
  }
}
