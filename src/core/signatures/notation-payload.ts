// What a Notary Project signature signs: its payload's targetArtifact descriptor
// (notaryproject/specifications specs/signature-specification.md "Payload"). notation-go verifier.Verify accepts it
// only when it equals the image's descriptor: digest, media type and size (oras content.Equal). The digest alone
// fixes the bytes; the media type and size are compared too, as notation does, since a signature whose descriptor
// disagrees with the image on them describes something else.
import { safeText } from '../log/safe-text.js'
import { isDigest, shortDigest } from '../util/digest.js'

export interface ImageDescriptor {
  digest: string
  mediaType: string
  size: number
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** Undefined when the payload names `image`; otherwise what it names instead. */
export function payloadProblem(payload: Uint8Array, image: ImageDescriptor): string | undefined {
  let document: unknown
  try {
    document = JSON.parse(utf8.decode(payload))
  } catch {
    return 'signature payload is not JSON'
  }
  const target = (document as { targetArtifact?: unknown } | null)?.targetArtifact
  if (typeof target !== 'object' || target === null) return 'signature payload has no targetArtifact'
  const { digest, mediaType, size } = target as Record<string, unknown>
  if (!isDigest(digest)) return 'signature payload names no valid digest'
  if (digest !== image.digest) return `signs ${shortDigest(digest)}, not this image`
  if (mediaType !== image.mediaType) {
    const written = typeof mediaType === 'string' ? safeText(mediaType).slice(0, 100) : 'no media type'
    return `signs ${shortDigest(digest)} as ${written}, not ${image.mediaType}`
  }
  if (size !== image.size)
    return `signs ${shortDigest(digest)} with size ${safeText(String(size)).slice(0, 30)}, not ${image.size}`
  return undefined
}
