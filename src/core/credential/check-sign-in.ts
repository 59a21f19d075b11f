// What can be wrong with a sign-in before Entra ID is asked: an ID that is not a GUID, a certificate that is not
// a certificate with its private key. Said in one line here, instead of an AADSTS code or a crypto library's
// words after a round trip.
import { X509Certificate, createPrivateKey } from 'node:crypto'
import { isGuid } from '../util/guid.js'
import { UserError } from '../errors/user-error.js'
import type { SignIn } from './sign-in.js'

export function checkSignIn(signIn: SignIn): void {
  const clientId = 'clientId' in signIn ? signIn.clientId : undefined
  if (clientId && !isGuid(clientId)) {
    throw new UserError(
      `The client ID '${clientId}' is not a GUID`,
      'use the application (client) ID of the app registration or managed identity, e.g. 00000000-0000-0000-0000-000000000000'
    )
  }
  if (signIn.kind === 'client-certificate') checkCertificate(signIn.certificatePem)
}

/** The PEM must hold the app's certificate and its (unencrypted) private key. Never echoes the text. */
function checkCertificate(pem: string): void {
  const hint =
    'give the PEM with both the certificate (-----BEGIN CERTIFICATE-----) and its private key (-----BEGIN PRIVATE KEY-----)'
  if (!/-----BEGIN [A-Z0-9 ]+-----/.test(pem))
    throw new UserError('The client certificate is not PEM text', hint)
  try {
    new X509Certificate(pem)
  } catch {
    throw new UserError('The client certificate PEM holds no readable certificate', hint)
  }
  if (!/-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.test(pem)) {
    throw new UserError('The client certificate PEM has no private key', hint)
  }
  try {
    createPrivateKey(pem)
  } catch {
    throw new UserError(
      'The private key in the client certificate PEM cannot be read (truncated, or encrypted with a password)',
      hint
    )
  }
}
