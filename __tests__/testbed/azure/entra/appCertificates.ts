// The certificates registered on app registrations (APPS with `hasCertificate`). Generated at start-up: a
// self-signed RSA certificate per app, handed to clients as one PEM holding CERTIFICATE and PRIVATE KEY, which is
// what @azure/identity's ClientCertificateCredential and an Azure DevOps certificate service connection hold.
import { createHash, generateKeyPairSync, X509Certificate } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import forge from 'node-forge'
import { serialNumberHex } from '../../net/tls.js'
import type { AppModel } from '../../world.js'

export interface AppCertificate {
  /** Certificate and private key, PEM. */
  pem: string
  certificate: X509Certificate
  /** Base64url SHA-1 and SHA-256 of the DER certificate, as sent in `x5t` / `x5t#S256`. */
  x5t: string
  x5tS256: string
}

function selfSignedCertificate(commonName: string): { certPem: string; keyPem: string } {
  // Keys come from node:crypto (fast, native); forge only builds and signs the X.509 structure.
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const keyPem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()
  const cert = forge.pki.createCertificate()
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ format: 'pem', type: 'spki' }).toString())
  cert.serialNumber = serialNumberHex(createHash('sha1').update(commonName).digest().subarray(0, 8))
  cert.validity.notBefore = new Date(Date.now() - 24 * 3600 * 1000)
  cert.validity.notAfter = new Date(Date.now() + 365 * 24 * 3600 * 1000)
  const subject = [{ name: 'commonName', value: commonName }]
  cert.setSubject(subject)
  cert.setIssuer(subject)
  cert.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create())
  return { certPem: forge.pki.certificateToPem(cert), keyPem }
}

/** One certificate per app that has one, keyed like APPS; the PEMs are also written to `workDir`. */
export async function createAppCertificates(
  apps: Record<string, AppModel>,
  workDir: string
): Promise<Map<string, AppCertificate>> {
  const certificates = new Map<string, AppCertificate>()
  for (const [key, app] of Object.entries(apps)) {
    if (!app.hasCertificate) continue
    const { certPem, keyPem } = selfSignedCertificate(app.displayName)
    const certificate = new X509Certificate(certPem)
    const pem = `${certPem.trim()}\n${keyPem.trim()}\n`
    await writeFile(join(workDir, `app-${key}.pem`), pem, { mode: 0o600 })
    certificates.set(key, {
      pem,
      certificate,
      x5t: createHash('sha1').update(certificate.raw).digest('base64url'),
      x5tS256: createHash('sha256').update(certificate.raw).digest('base64url')
    })
  }
  return certificates
}
