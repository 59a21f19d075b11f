// A registry of one repository over fake HTTP, for the gate's tests without the test bed: manifests and blobs by
// digest, tags, the OCI 1.1 referrers API (computed from the manifests' `subject`) or none, and what was asked.
// The signatures it holds are made by fake signers that the fake verifiers below understand: a "key" or a "CA"
// is a name, a signature says which name made it and which digest it signs.
import { createHash } from 'node:crypto'
import type { CosignPolicy, NotationPolicy, TrustPolicy } from '../../../src/core/entries/trust-policy.js'
import type { Entry } from '../../../src/core/entries/entry.js'
import { EntryLog } from '../../../src/core/log/entry-log.js'
import type { PlannedImport } from '../../../src/core/plan/planned-import.js'
import type { ReferrerSources } from '../../../src/core/referrers/referrer-sources.js'
import { referrerSource } from '../../../src/core/referrers/referrer-source.js'
import type { HttpResponse, HttpSend } from '../../../src/core/registry/http.js'
import { RegistryGateway } from '../../../src/core/registry/registry-gateway.js'
import type { ImageDescriptor, SignatureVerifiers } from '../../../src/core/signatures/check-signature.js'
import type { SignatureCarrier, SignatureCheck } from '../../../src/core/signatures/signature-check.js'

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json'
export const BUNDLE = 'application/vnd.dev.sigstore.bundle.v0.3+json'
export const NOTARY = 'application/vnd.cncf.notary.signature'
export const COSIGN_PAYLOAD = 'application/vnd.dev.cosign.simplesigning.v1+json'
const EMPTY = 'application/vnd.oci.empty.v1+json'

export const sha = (bytes: Buffer | string): string =>
  `sha256:${createHash('sha256').update(bytes).digest('hex')}`
const answer = (
  status: number,
  body: Buffer | string = '',
  headers: Record<string, string> = {}
): HttpResponse => {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body)
  return { status, header: (name) => headers[name.toLowerCase()], body: bytes.toString('utf8'), bytes }
}

interface Stored {
  body: Buffer
  mediaType: string
  subject?: string
  artifactType?: string
}

export class FakeRegistry {
  readonly manifests = new Map<string, Stored>()
  readonly tags = new Map<string, string>()
  readonly blobs = new Map<string, Buffer>()
  /** Every request, as `METHOD /path`. */
  readonly calls: string[] = []

  /** The referrers API answers this status (a registry that refuses it) instead of listing. */
  referrersStatus?: number

  constructor(readonly referrersApi = true) {}

  blob(bytes: Buffer | string): { mediaType?: string; digest: string; size: number } {
    const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes)
    this.blobs.set(sha(buffer), buffer)
    return { digest: sha(buffer), size: buffer.length }
  }

  manifest(
    value: Record<string, unknown>,
    tag?: string
  ): { digest: string; mediaType: string; size: number } {
    const body = Buffer.from(JSON.stringify(value))
    const digest = sha(body)
    const config = value.config as { mediaType?: string } | undefined
    this.manifests.set(digest, {
      body,
      mediaType: (value.mediaType as string) ?? OCI_MANIFEST,
      subject: (value.subject as { digest?: string } | undefined)?.digest,
      artifactType: (value.artifactType as string | undefined) ?? config?.mediaType
    })
    if (tag) this.tags.set(tag, digest)
    return { digest, mediaType: (value.mediaType as string) ?? OCI_MANIFEST, size: body.length }
  }

  /** A small image; `seed` makes it differ from others. */
  image(seed: string, tag?: string): { digest: string; mediaType: string; size: number } {
    const layer = this.blob(`layer ${seed}`)
    const config = this.blob(`{"seed":"${seed}"}`)
    return this.manifest(
      {
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }]
      },
      tag
    )
  }

  index(children: { digest: string; mediaType: string; size: number }[], tag?: string) {
    return this.manifest(
      {
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: children.map((c, i) => ({ ...c, platform: { os: 'linux', architecture: `arch${i}` } }))
      },
      tag
    )
  }

  /** cosign's `.sig` manifest beside `of`: one layer per signer, each signing `signs` (default: `of`). */
  cosignSignature(of: string, signers: { key: string; signs?: string }[]): string {
    const layers = signers.map(({ key, signs }) => ({
      mediaType: COSIGN_PAYLOAD,
      ...this.blob(JSON.stringify({ critical: { image: { 'docker-manifest-digest': signs ?? of } } })),
      annotations: { 'dev.cosignproject.cosign/signature': `signed-by:${key}` }
    }))
    const config = this.blob('{}')
    return this.manifest(
      {
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
        layers
      },
      `${of.replace(':', '-')}.sig`
    ).digest
  }

  /** A referrer of `subject` whose one layer is `layer` (OCI 1.0 style, the type in the config, when `inConfig`). */
  referrer(
    subject: { digest: string; mediaType: string; size: number },
    artifactType: string,
    layer: { mediaType: string; bytes: Buffer | string },
    inConfig = false
  ): string {
    const config = this.blob('{}')
    return this.manifest({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      ...(!inConfig && { artifactType }),
      config: { mediaType: inConfig ? artifactType : EMPTY, ...config },
      layers: [{ mediaType: layer.mediaType, ...this.blob(layer.bytes) }],
      subject
    }).digest
  }

  bundle(subject: { digest: string; mediaType: string; size: number }, key: string, signs?: string): string {
    const bytes = JSON.stringify({ key, digest: signs ?? subject.digest })
    return this.referrer(subject, BUNDLE, { mediaType: BUNDLE, bytes })
  }

  /** A Notation signature; COSE envelopes are binary (bytes that are not UTF-8), as real ones are. */
  notation(
    subject: { digest: string; mediaType: string; size: number },
    ca: string,
    options: { envelope?: 'jose' | 'cose'; signs?: typeof subject; inConfig?: boolean } = {}
  ): string {
    const payload = Buffer.from(JSON.stringify({ ca, target: options.signs ?? subject }))
    const cose = options.envelope === 'cose'
    const bytes = cose ? Buffer.concat([Buffer.from([0xd2, 0xff, 0xfe]), payload]) : payload
    return this.referrer(
      subject,
      NOTARY,
      { mediaType: cose ? 'application/cose' : 'application/jose+json', bytes },
      options.inConfig
    )
  }

  /** The referrers tag schema's index for `subject` (what a client pushes where the registry lacks the API). */
  referrersTagIndex(subject: string): void {
    const listed = [...this.manifests]
      .filter(([, m]) => m.subject === subject)
      .map(([digest, m]) => ({
        mediaType: m.mediaType,
        digest,
        size: m.body.length,
        artifactType: m.artifactType
      }))
    this.manifest({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: listed }, subject.replace(':', '-'))
  }

  readonly send: HttpSend = async ({ method, url }) => {
    const path = new URL(url).pathname + new URL(url).search
    this.calls.push(`${method} ${path}`)
    let match = /^\/v2\/app\/referrers\/([^?]+)$/.exec(path)
    if (match) {
      if (!this.referrersApi) return answer(404, '{"errors":[{"code":"NOT_FOUND"}]}')
      if (this.referrersStatus)
        return answer(
          this.referrersStatus,
          '{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}'
        )
      const manifests = [...this.manifests]
        .filter(([, m]) => m.subject === match![1])
        .map(([digest, m]) => ({
          mediaType: m.mediaType,
          digest,
          size: m.body.length,
          artifactType: m.artifactType
        }))
      return answer(200, JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests }))
    }
    if (path.startsWith('/v2/app/tags/list'))
      return answer(200, JSON.stringify({ name: 'app', tags: [...this.tags.keys()] }))
    match = /^\/v2\/app\/blobs\/(.+)$/.exec(path)
    if (match) {
      const blob = this.blobs.get(match[1])
      return blob
        ? answer(200, method === 'GET' ? blob : '')
        : answer(404, '{"errors":[{"code":"BLOB_UNKNOWN"}]}')
    }
    match = /^\/v2\/app\/manifests\/(.+)$/.exec(path)
    if (!match) return answer(404)
    const digest = this.tags.get(match[1]) ?? match[1]
    const stored = this.manifests.get(digest)
    if (!stored) return answer(404, '{"errors":[{"code":"MANIFEST_UNKNOWN"}]}')
    const headers = { 'docker-content-digest': digest, 'content-type': stored.mediaType }
    return answer(200, method === 'GET' ? stored.body : '', headers)
  }

  /** The gate's access to this registry, as referrers/referrer-sources.ts gives it; counts each use. */
  sources(): ReferrerSources & { uses: number } {
    const gateway = new RegistryGateway(this.send)
    const sources = {
      uses: 0,
      readsAsUs: () => false,
      forEntry: async () => {
        sources.uses++
        return {
          source: referrerSource({ registry: 'registry.example.com', repository: 'app' }, gateway),
          acr: false
        }
      }
    }
    return sources
  }
}

export const cosignPolicy = (name: string, key: string): TrustPolicy => ({
  name,
  cosign: { publicKeyPem: key, transparencyLog: 'skip' }
})
export const notationPolicy = (name: string, ca: string): TrustPolicy => ({
  name,
  notation: { trustStorePems: [ca] }
})

const short = (digest: string) => digest.slice(0, 19)

/** What the fake cosign signatures and bundles say: who signed, and which digest. */
function cosignClaim(carrier: SignatureCarrier): { key: string; digest: string } {
  if (carrier.kind === 'cosign') {
    const payload = JSON.parse(Buffer.from(carrier.payload).toString()) as {
      critical: { image: { 'docker-manifest-digest': string } }
    }
    const key = carrier.annotations['dev.cosignproject.cosign/signature'].replace('signed-by:', '')
    return { key, digest: payload.critical.image['docker-manifest-digest'] }
  }
  if (carrier.kind === 'sigstore-bundle') return JSON.parse(Buffer.from(carrier.bundle).toString())
  throw new Error('not a cosign carrier')
}

/** Verifiers that understand the fake signatures, and record each check as `<kind> <policy key or CA>`. */
export function fakeVerifiers(): SignatureVerifiers & { checks: string[]; images: ImageDescriptor[] } {
  const checks: string[] = []
  const images: ImageDescriptor[] = []
  return {
    checks,
    images,
    async cosign(carrier, imageDigest, policy: CosignPolicy): Promise<SignatureCheck> {
      checks.push(`${carrier.kind} ${policy.publicKeyPem}`)
      const { key, digest } = cosignClaim(carrier)
      if (digest !== imageDigest)
        return { verified: false, reason: `signs ${short(digest)}…, not this image` }
      if (key !== policy.publicKeyPem) return { verified: false, reason: 'signed by another key' }
      return { verified: true, signer: `SHA256:fingerprint-of-${key}` }
    },
    async notation(carrier, image, policy: NotationPolicy): Promise<SignatureCheck> {
      if (carrier.kind !== 'notation') throw new Error('not a Notation carrier')
      images.push(image)
      checks.push(`notation ${policy.trustStorePems.join(',')}`)
      let bytes = Buffer.from(carrier.envelope)
      if (carrier.mediaType === 'application/cose') {
        if (bytes[0] !== 0xd2 || bytes[1] !== 0xff) throw new Error('the COSE envelope lost its bytes')
        bytes = bytes.subarray(3)
      }
      const { ca, target } = JSON.parse(bytes.toString()) as { ca: string; target: ImageDescriptor }
      if (!policy.trustStorePems.includes(ca))
        return { verified: false, reason: `certificate chain ends at '${ca}', not in the trust store` }
      if (
        target.digest !== image.digest ||
        target.size !== image.size ||
        target.mediaType !== image.mediaType
      )
        return { verified: false, reason: `signs ${short(target.digest)}…, not this image` }
      return { verified: true, signer: `CN=release by ${ca}` }
    }
  }
}

/** A plan as the plan stage hands it over: registry.example.com/app:1.0, read at `digest`, to be imported. */
export function plannedImport(
  digest: string | undefined,
  entry: Partial<Entry> = {},
  fields: Partial<PlannedImport> = {}
): PlannedImport {
  const reference = { registry: 'registry.example.com', repository: 'app', tag: '1.0' }
  return {
    entry: {
      written: 'registry.example.com/app:1.0',
      origin: 'source line 1',
      reference,
      targetTags: ['app:1.0'],
      untaggedRepositories: [],
      force: false,
      referrers: true,
      lock: false,
      notices: [],
      ...entry
    },
    reference,
    access: { kind: 'registryUri' },
    source: digest
      ? { kind: 'read', manifest: { digest, platforms: [] } }
      : { kind: 'unreadable', reason: 'HTTP 503' },
    targetsBefore: new Map(),
    decision: { kind: 'import' },
    log: new EntryLog(),
    started: Date.now(),
    ...fields
  } as PlannedImport
}
