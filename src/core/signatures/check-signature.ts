// Which verifier checks which signature against which policy: a cosign policy checks cosign's `.sig` layers and
// Sigstore bundles, a Notation policy checks Notation signatures. Any other pairing is no check at all
// (undefined), so the refusal can say "no Notation policy", not "failed". A verifier that throws (a malformed
// signature it did not foresee) is a refusal of that one signature, never the end of the batch.
import type { CosignPolicy, NotationPolicy, TrustPolicy } from '../entries/trust-policy.js'
import { describeError } from '../errors/describe-error.js'
import { isAbortError } from '../util/abort.js'
import { verifyCosign } from './cosign-verify.js'
import { verifyNotation } from './notation-verify.js'
import type { SignatureCarrier, SignatureCheck } from './signature-check.js'

/** What Notation's payload names and must equal: the image's manifest as the registry serves it. */
export interface ImageDescriptor {
  digest: string
  mediaType: string
  size: number
}

/** The image being verified: its digest, and its descriptor, read only when a Notation signature needs it. */
export interface SignedImage {
  digest: string
  descriptor(): Promise<ImageDescriptor>
}

/** The verifiers, one per signing scheme (method syntax: each may take the carrier kinds it handles). */
export interface SignatureVerifiers {
  cosign(carrier: SignatureCarrier, imageDigest: string, policy: CosignPolicy): Promise<SignatureCheck>
  notation(carrier: SignatureCarrier, image: ImageDescriptor, policy: NotationPolicy): Promise<SignatureCheck>
}

/** The step's verifiers: cosign's (keyed, keyless, bundles) and Notation's. */
export const SIGNATURE_VERIFIERS: SignatureVerifiers = {
  cosign: (carrier, imageDigest, policy) => verifyCosign(carrier, imageDigest, policy),
  notation: (carrier, image, policy) =>
    carrier.kind === 'notation'
      ? verifyNotation(carrier, image, policy)
      : Promise.resolve({ verified: false, reason: 'not a Notation signature' })
}

export async function checkSignature(
  carrier: SignatureCarrier,
  image: SignedImage,
  policy: TrustPolicy,
  verifiers: SignatureVerifiers
): Promise<SignatureCheck | undefined> {
  try {
    if (carrier.kind === 'notation') {
      return policy.notation
        ? await verifiers.notation(carrier, await image.descriptor(), policy.notation)
        : undefined
    }
    return policy.cosign ? await verifiers.cosign(carrier, image.digest, policy.cosign) : undefined
  } catch (err) {
    if (isAbortError(err)) throw err
    return { verified: false, reason: `could not be checked: ${describeError(err).replace(/\.$/, '')}` }
  }
}
