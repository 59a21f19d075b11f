// A TLS certificate that Node does not trust: almost always a TLS-inspecting proxy or a private CA that the
// runner, the agent or the laptop knows and Node does not. Node has its own CA list, so the fix is to hand it
// the CA; whatever the service or the sign-in that hit it, the cause and the fix are the same.

/** Node's codes for a certificate it does not trust (OpenSSL's verify errors). */
const UNTRUSTED_CODES =
  /^(SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|UNABLE_TO_VERIFY_LEAF_SIGNATURE|CERT_[A-Z_]+|ERR_TLS_CERT_ALTNAME_INVALID)$/

/** The same errors as their messages say it, when a library kept the text but dropped the code. */
const UNTRUSTED_TEXT =
  /self[- ]signed certificate|unable to get (local )?issuer certificate|unable to verify the first certificate|certificate has expired|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE/i

/** How to give Node a CA, on each platform. */
export const CA_FIX =
  'give Node that CA: on GitHub runners and the command line, set NODE_EXTRA_CA_CERTS to its PEM file; on Azure ' +
  "DevOps, set NODE_EXTRA_CA_CERTS in the agent's environment (its .env file) and restart the agent"

export const CERTIFICATE_HINT = `the TLS certificate is not trusted, usually because a TLS-inspecting proxy or a private CA signs it; ${CA_FIX}`

/** True when `err`, or an error it wraps (`cause`, `errors`), is a certificate Node does not trust. */
export function isUntrustedCertificate(err: unknown, depth = 0): boolean {
  if (depth > 5 || typeof err !== 'object' || err === null) return false
  const { code, message, cause, errors } = err as {
    code?: unknown
    message?: unknown
    cause?: unknown
    errors?: unknown
  }
  if (typeof code === 'string' && UNTRUSTED_CODES.test(code)) return true
  if (typeof message === 'string' && UNTRUSTED_TEXT.test(message)) return true
  const inner = [cause, ...(Array.isArray(errors) ? errors : [])]
  return inner.some((wrapped) => isUntrustedCertificate(wrapped, depth + 1))
}
