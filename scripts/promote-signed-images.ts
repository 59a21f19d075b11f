// What verifying signatures adds to a promotion (issue 19): the same images from the dev ACR into prodacr, once
// with a trust policy (`verify:`) and once without, by the built action against the test bed, with a real
// network's latency on every request. The images are signed as releases are (a third cosign with a key and a
// Rekor entry, a third cosign keyless in a Sigstore bundle, a third Notation JWS), by the test kits; both runs copy
// the signatures along (referrers: true, the default). `npm run bench` uses it; run it alone with
// `npx tsx scripts/promote-signed-images.ts` (BENCH_RUNS, SIGNED_COUNT to change how many).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runAction } from '../__tests__/action/run-action.js'
import {
  createSigners,
  SignedRegistry,
  trustYaml,
  workflowSigner,
  writeTrustMaterial,
  type PushedImage
} from '../__tests__/e2e/signed-fixtures.js'
import { startTestbed, type Testbed } from '../__tests__/testbed/index.js'
import { APPS, SUB_PROD, TENANT_A } from '../__tests__/testbed/world.js'

const SIGN_IN = { 'client-id': APPS.github.appId, 'tenant-id': TENANT_A, 'subscription-id': SUB_PROD }
const POLICIES = ['release-key-logged', 'github-release', 'contoso-ca'] as const

export interface SignedPromotionOptions {
  /** Images in the batch (a third of each signature kind, rounded). */
  count: number
  runs: number
  /** Latency on every response of every host. */
  latencyMs: number
  /** Server-side time of each import. */
  serverMs: number
}

/** One side of the comparison: medians over the runs. */
export interface StepTimes {
  seconds: number
  /** Requests the step sent (all hosts), per image. */
  requestsPerImage: number
  /** Each run's seconds, in the order run (the median is `seconds`). */
  runs?: number[]
}

export interface SignedPromotionFigures {
  count: number
  plain: StepTimes
  verified: StepTimes
  /** One image alone, with and without verify:, for what a single promotion pays. */
  single: { plain: StepTimes; verified: StepTimes }
}

/** Signs `count` images in the dev ACR, each with one kind of signature, in turn. */
async function signedImages(testbed: Testbed, folder: string, count: number): Promise<PushedImage[]> {
  const signers = createSigners()
  writeTrustMaterial(folder, signers)
  const dev = new SignedRegistry(testbed.backend('devacr.azurecr.io'), 'devacr.azurecr.io', false)
  const images: PushedImage[] = []
  for (let i = 0; i < count; i++) {
    const image = await dev.image(`bench-signed/app-${i}`, '1.0.0', `bench-signed ${i}`)
    if (i % 3 === 0)
      await dev.cosignSignature(image, [{ signer: { key: signers.releaseKey }, sigstore: signers.sigstore }])
    else if (i % 3 === 1) await dev.sigstoreBundle(image, workflowSigner(), signers.sigstore)
    else await dev.notationSignature(image, signers.releaseCertificate, 'jws')
    images.push(image)
  }
  return images
}

/** The images file of a promotion into fresh targets, with the trust policy or without. */
function imagesFile(folder: string, name: string, images: PushedImage[], verify: boolean): string {
  const lines = [
    ...(verify ? [...trustYaml([...POLICIES]), 'defaults:', `  verify: [${POLICIES.join(', ')}]`] : []),
    'images:',
    ...images.flatMap((image, i) => [`  - source: ${image.source}`, `    targets: [${name}/app-${i}:1.0.0]`])
  ]
  const path = join(folder, `${name}.yaml`)
  writeFileSync(path, lines.join('\n'))
  return path
}

async function promote(testbed: Testbed, file: string, images: PushedImage[], verify: boolean) {
  const before = testbed.requests.length
  const started = performance.now()
  const run = await runAction({
    inputs: { registry: 'prodacr', 'images-file': file, ...SIGN_IN },
    env: { ...testbed.env, ...testbed.githubOidc('repo:contoso/app:ref:refs/heads/main') },
    timeoutMs: 600_000
  })
  const seconds = (performance.now() - started) / 1000
  if (run.exitCode !== 0)
    throw new Error(`a signed promotion failed: ${run.errors.join(' | ') || run.stderr}`)
  const results = JSON.parse(run.outputs.results ?? '[]') as { signature?: { verified: boolean } }[]
  const verified = results.filter((r) => r.signature?.verified).length
  if (verified !== (verify ? images.length : 0))
    throw new Error(`expected ${verify ? images.length : 0} verified images, the step verified ${verified}`)
  return { seconds, requestsPerImage: (testbed.requests.length - before) / images.length }
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
const medians = (all: StepTimes[]): StepTimes => ({
  seconds: median(all.map((t) => t.seconds)),
  requestsPerImage: median(all.map((t) => t.requestsPerImage)),
  runs: all.map((t) => Number(t.seconds.toFixed(2)))
})

/**
 * Runs the batch and the single image `runs` times each, alternating with and without verify: so that a busy
 * moment of the machine falls on both alike; every run imports into fresh targets.
 */
export async function measureSignedPromotion(
  testbed: Testbed,
  options: SignedPromotionOptions
): Promise<SignedPromotionFigures> {
  const folder = mkdtempSync(join(tmpdir(), 'acr-import-signed-'))
  try {
    const images = await signedImages(testbed, folder, options.count)
    testbed.faults.importDuration(options.serverMs)
    testbed.faults.latency('*', options.latencyMs)
    const times = { plain: [] as StepTimes[], verified: [] as StepTimes[] }
    const single = { plain: [] as StepTimes[], verified: [] as StepTimes[] }
    for (let run = 0; run < options.runs; run++) {
      for (const verify of [false, true]) {
        const side = verify ? 'verified' : 'plain'
        const batch = imagesFile(folder, `signed-${side}-${run}`, images, verify)
        times[side].push(await promote(testbed, batch, images, verify))
        const one = imagesFile(folder, `signed-one-${side}-${run}`, images.slice(0, 1), verify)
        single[side].push(await promote(testbed, one, images.slice(0, 1), verify))
      }
    }
    return {
      count: options.count,
      plain: medians(times.plain),
      verified: medians(times.verified),
      single: { plain: medians(single.plain), verified: medians(single.verified) }
    }
  } finally {
    testbed.faults.latency('*', 0)
    testbed.faults.importDuration(0)
    rmSync(folder, { recursive: true, force: true })
  }
}

/** The benchmark's row: what verification adds, absolute and as a ratio. */
export function describeSignedPromotion(figures: SignedPromotionFigures): string {
  const s = (seconds: number) => `${seconds.toFixed(2)} s`
  const { plain, verified, single, count } = figures
  const added = verified.seconds - plain.seconds
  return (
    `${count} images: ${s(verified.seconds)} verified / ${s(plain.seconds)} not = ${(verified.seconds / plain.seconds).toFixed(2)} ` +
    `(+${s(added)}, ${((added / count) * 1000).toFixed(0)} ms per image); one image: ${s(single.verified.seconds)} / ` +
    `${s(single.plain.seconds)} = ${(single.verified.seconds / single.plain.seconds).toFixed(2)} ` +
    `(+${s(single.verified.seconds - single.plain.seconds)}); requests per image ${plain.requestsPerImage.toFixed(1)} → ` +
    `${verified.requestsPerImage.toFixed(1)}`
  )
}

if (process.argv[1]?.endsWith('promote-signed-images.ts')) {
  const testbed = await startTestbed()
  try {
    const figures = await measureSignedPromotion(testbed, {
      count: Number(process.env.SIGNED_COUNT ?? 30),
      runs: Number(process.env.BENCH_RUNS ?? 3),
      latencyMs: 40,
      serverMs: 2000
    })
    console.log(JSON.stringify(figures, null, 2))
    console.log(describeSignedPromotion(figures))
  } finally {
    await testbed.stop()
  }
}
