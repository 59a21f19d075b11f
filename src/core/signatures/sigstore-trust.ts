// A Sigstore trusted root (trusted_root.json) as @sigstore/verify's trust material: which Fulcio CAs may certify
// an identity, which Rekor logs may vouch for an entry, which CT logs may sign a certificate's SCTs. A policy's
// own root, or the public-good one the step ships (sigstore-public-good-root.ts). Each root is read once.
import type { KeyObject } from 'node:crypto'
import { TrustedRoot } from '@sigstore/protobuf-specs'
import { toTrustMaterial, VerificationError, type TrustMaterial } from '@sigstore/verify'
import { SIGSTORE_PUBLIC_GOOD_TRUSTED_ROOT } from './sigstore-public-good-root.js'

const MEDIA_TYPE_PREFIX = 'application/vnd.dev.sigstore.trustedroot'
const readRoots = new WeakMap<object, TrustedRoot>()
const keylessMaterials = new WeakMap<TrustedRoot, TrustMaterial>()

/** The trusted root a policy names (trusted_root.json, parsed), or the public-good root when it names none. */
export function sigstoreTrustedRoot(json: unknown): TrustedRoot {
  const source = json ?? SIGSTORE_PUBLIC_GOOD_TRUSTED_ROOT
  if (source === null || typeof source !== 'object' || Array.isArray(source)) {
    throw new Error('the trusted root is not a JSON object (give trusted_root.json as cosign reads it)')
  }
  const known = readRoots.get(source)
  if (known !== undefined) return known
  const mediaType = (source as { mediaType?: unknown }).mediaType
  if (typeof mediaType !== 'string' || !mediaType.startsWith(MEDIA_TYPE_PREFIX)) {
    throw new Error(`the trusted root's mediaType is not ${MEDIA_TYPE_PREFIX}…`)
  }
  const root = TrustedRoot.fromJSON(source)
  // Every key and certificate is parsed here, so a damaged root is one clear problem, not a failure per signature.
  toTrustMaterial(root)
  readRoots.set(source, root)
  return root
}

/** Why a trusted_root.json cannot be used (for the policy's own checks before any request), or undefined. */
export function sigstoreTrustedRootProblem(json: unknown): string | undefined {
  try {
    sigstoreTrustedRoot(json)
    return undefined
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
}

/**
 * The root as trust material. `key`: a keyed policy's public key, the only key any bundle's hint can name (a
 * bundle cannot bring its own key: the hint is only a name, and every hint resolves to the policy's key).
 */
export function sigstoreTrustMaterial(root: TrustedRoot, key?: KeyObject): TrustMaterial {
  // Keyless material is built once per root: parsing every CA and log key again cost most of a keyless
  // check's 13 ms. (A keyed check parses only its one key and log.)
  const known = key === undefined ? keylessMaterials.get(root) : undefined
  if (known !== undefined) return known
  const material = toTrustMaterial(root, (hint) => {
    if (key === undefined) {
      throw new VerificationError({ code: 'PUBLIC_KEY_ERROR', message: `no key for hint ${hint}` })
    }
    return { publicKey: key, validFor: () => true }
  })
  if (key === undefined) keylessMaterials.set(root, material)
  return material
}

/** An empty root: for keyed signatures whose log the policy skips, where nothing but the key is trusted. */
export function emptyTrustedRoot(): TrustedRoot {
  return {
    mediaType: `${MEDIA_TYPE_PREFIX}+json;version=0.1`,
    tlogs: [],
    certificateAuthorities: [],
    ctlogs: [],
    timestampAuthorities: []
  }
}
