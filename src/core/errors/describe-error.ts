// Turns any error into ONE line with a hint: a user reads it in the step's failure, never a stack trace.
import { isRestError } from '@azure/core-rest-pipeline'
import { SignInError } from './sign-in-error.js'
import { safeText } from '../log/safe-text.js'
import { answeringService, urlHost } from './answering-service.js'
import { hintFor } from './hints.js'
import { aadstsCode, signInHint } from './sign-in-hints.js'
import { CERTIFICATE_HINT, isUntrustedCertificate } from './certificate-hint.js'
import { joinSentences, UserError } from './user-error.js'
import { isAbortError } from '../util/abort.js'

/** One line "what happened. what to do" for any thrown value. Remote text is made safe to print. */
export function describeError(err: unknown): string {
  if (err instanceof UserError) return err.format()
  if (err instanceof SignInError) return describeSignIn(err)
  if (isAbortError(err)) return joinSentences('The operation was cancelled', undefined)
  if (isRestError(err)) {
    const code = err.code ?? ''
    const text = `${code} ${err.message}`
    const status = err.statusCode ? `HTTP ${err.statusCode}` : 'no response'
    const what = `${code ? `${code} (${status})` : status}: ${safeText(err.message || 'no message')}`
    const url = err.request?.url
    const facts = { code, status: err.statusCode, text, service: answeringService(url), host: urlHost(url) }
    return joinSentences(what, hintFor(facts) ?? networkHint(err))
  }
  if (err instanceof Error) {
    const rawCode = (err as { code?: unknown }).code
    const code = typeof rawCode === 'string' ? rawCode : ''
    if (aadstsCode(err.message)) return describeSignIn(new SignInError(err, 'the sign-in'))
    if (err.name === 'CredentialUnavailableError') {
      return joinSentences(
        `Sign-in is not available: ${safeText(err.message)}`,
        'check the authentication settings'
      )
    }
    const hint = hintFor({ code, text: `${code} ${err.message}` }) ?? networkHint(err)
    return joinSentences(safeText(err.message || err.name), hint)
  }
  return joinSentences(safeText(String(err)), undefined)
}

function describeSignIn(err: SignInError): string {
  const cause = err.cause
  const text = cause instanceof Error ? cause.message : String(cause)
  const aadsts = aadstsCode(text)
  // Entra ID messages run over several lines with trace and correlation IDs; the first line says it all.
  const firstLine = safeText(text.split(/\r?\n/).find((line) => line.trim()) ?? text)
  const message = `Sign-in with ${err.signInDescription} failed: ${firstLine}`
  // The token request never reached Entra ID: the sign-in's settings are not the cause, the network's CA is.
  if (isUntrustedCertificate(cause)) return joinSentences(message, CERTIFICATE_HINT)
  return joinSentences(
    message,
    signInHint({
      aadsts,
      signInDescription: err.signInDescription,
      claims: err.assertionClaims,
      expectedAudience: err.expectedAudience,
      text: firstLine
    })
  )
}

/** When no service answered: the connection itself failed. */
function networkHint(err: Error): string | undefined {
  // An answer (ARM's 400 about the source's certificate) is the service's to explain, not this runner's CA.
  if (isRestError(err) && err.statusCode) return undefined
  if (isUntrustedCertificate(err)) return CERTIFICATE_HINT
  const rawCode = (err as { code?: unknown }).code
  const code = typeof rawCode === 'string' ? rawCode : ''
  if (['ENOTFOUND', 'EAI_AGAIN'].includes(code))
    return 'the host name does not resolve; check the endpoint and the proxy (HTTPS_PROXY)'
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT'].includes(code)) {
    return 'the connection failed; check the network, firewall and proxy (HTTPS_PROXY/NO_PROXY)'
  }
  return undefined
}
