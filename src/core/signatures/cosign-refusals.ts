// Why @sigstore/verify refused a cosign signature, as one short clause for the refusal line. The library's errors
// carry a code and a message meant for developers; this says what the user can act on.
import type { X509Certificate } from '@sigstore/core'
import type { SignedEntity } from '@sigstore/verify'
import { remoteText } from './cosign-claims.js'

export interface RefusalContext {
  keyed: boolean
  transparencyLog: 'required' | 'skip'
  entity: SignedEntity
  certificate?: X509Certificate
}

interface SigstoreError {
  code?: string
  message?: string
  cause?: { message?: string }
}

export const NO_LOG_ENTRY_KEYED =
  'no transparency-log entry (transparency-log: skip accepts keys used offline)'

export function refusalReason(error: unknown, context: RefusalContext): string {
  const { code, message = '', cause } = (error ?? {}) as SigstoreError
  switch (code) {
    case 'SIGNATURE_ERROR':
      return context.keyed
        ? 'signed by another key (or altered since)'
        : 'the signature does not match its certificate'
    case 'TLOG_ERROR':
      return context.keyed ? NO_LOG_ENTRY_KEYED : 'no transparency-log entry'
    case 'TLOG_INCLUSION_PROMISE_ERROR':
      return "the transparency-log entry's signed timestamp is not from a trusted log"
    case 'TLOG_INCLUSION_PROOF_ERROR':
      return "the transparency-log entry's inclusion proof does not verify"
    case 'TLOG_MISSING_INCLUSION_ERROR':
      return 'the transparency-log entry has no signed timestamp or inclusion proof'
    case 'TLOG_BODY_ERROR':
      return /signature/.test(message)
        ? 'the transparency-log entry is for another signature'
        : 'the signed content is not what was logged (altered since)'
    case 'TIMESTAMP_ERROR':
      return /expected \d+ timestamps/.test(message)
        ? context.transparencyLog === 'skip'
          ? 'no signed timestamp dates the short-lived certificate (keyless signatures need transparency-log: required)'
          : 'no transparency-log entry'
        : 'the signed timestamp does not verify'
    case 'CERTIFICATE_ERROR':
      return certificateReason(message, cause?.message ?? '', context)
    default:
      return `the signature does not verify (${remoteText(message || String(error))})`
  }
}

function certificateReason(message: string, cause: string, context: RefusalContext): string {
  if (/SCT/.test(message)) {
    return /expected/.test(message)
      ? 'the certificate has no SCT from a trusted certificate-transparency log'
      : "the certificate's SCT is not from a trusted certificate-transparency log"
  }
  if (/expired|not valid/.test(cause) && context.certificate !== undefined) {
    const when = signingTimes(context.entity)
    const by = context.entity.timestamps.some((t) => t.$case === 'transparency-log')
      ? 'the log entry'
      : 'its timestamp'
    if (when.some((time) => time > context.certificate!.notAfter)) return `certificate expired before ${by}`
    if (when.some((time) => time < context.certificate!.notBefore))
      return `certificate was not yet valid at ${by}`
    return `a CA certificate of the chain was not valid at ${by}`
  }
  return 'certificate chain does not end at the trusted root'
}

function signingTimes(entity: SignedEntity): Date[] {
  return entity.timestamps.map((timestamp) =>
    timestamp.$case === 'transparency-log'
      ? new Date(Number(timestamp.tlogEntry.integratedTime) * 1000)
      : timestamp.timestamp.signingTime
  )
}
