// The test bed's certificate authority and its one server certificate. Keys come from Node's native RSA
// generator, off the main thread, and are handed to node-forge, which builds the X.509 certificates: forge's
// own pure-JS key generation takes seconds per key.
import { generateKeyPair, randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import forge from 'node-forge'

export interface CertificateAuthority {
  certPem: string
  cert: forge.pki.Certificate
  key: forge.pki.rsa.PrivateKey
}

export interface ServerCertificate {
  certPem: string
  keyPem: string
}

export interface RsaKeys {
  privateKey: forge.pki.rsa.PrivateKey
  publicKey: forge.pki.rsa.PublicKey
}

/** A 2048-bit RSA key pair in forge's form. Generate the server's early: the host list comes later. */
export async function newRsaKeys(): Promise<RsaKeys> {
  const { privateKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 })
  const forgeKey = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString())
  return { privateKey: forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e) }
}

/**
 * A certificate serial as forge wants it (hex) that OpenSSL 3 accepts: DER integers must be positive and
 * minimal, so the first byte is 0x01..0x7f. (A '0' prefix made forge emit a leading zero byte now and then, and
 * Node then refused the whole CA file with "PEM routines::ASN1 lib".)
 */
export function serialNumberHex(bytes: Buffer): string {
  const serial = Buffer.from(bytes)
  serial[0] = serial[0] & 0x7f || 0x01
  return serial.toString('hex')
}

function newCertificate(publicKey: forge.pki.PublicKey, days: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate()
  cert.publicKey = publicKey
  cert.serialNumber = serialNumberHex(randomBytes(16))
  cert.validity.notBefore = new Date(Date.now() - 60 * 60 * 1000)
  cert.validity.notAfter = new Date(Date.now() + days * 24 * 60 * 60 * 1000)
  return cert
}

/**
 * The folder of a CA shared by every test bed of one test run (ca.pem, ca-key.pem), made by
 * scripts/run-tests.mjs before Jest starts, with NODE_EXTRA_CA_CERTS pointing at its ca.pem. Node reads that
 * variable only at process start, so it is the one way in-process tests can trust the test bed's TLS.
 */
export const SHARED_CA_DIR_VARIABLE = 'ACR_IMPORT_TESTBED_CA_DIR'

/** The run's shared CA when there is one, else a new CA of the test bed's own. */
export async function testbedCertificateAuthority(): Promise<CertificateAuthority> {
  const dir = process.env[SHARED_CA_DIR_VARIABLE]
  if (!dir) return createCertificateAuthority()
  const [certPem, keyPem] = await Promise.all([
    readFile(join(dir, 'ca.pem'), 'utf8'),
    readFile(join(dir, 'ca-key.pem'), 'utf8')
  ])
  return {
    certPem,
    cert: forge.pki.certificateFromPem(certPem),
    key: forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey
  }
}

export async function createCertificateAuthority(): Promise<CertificateAuthority> {
  const { privateKey, publicKey } = await newRsaKeys()
  const cert = newCertificate(publicKey, 7)
  const subject = [{ name: 'commonName', value: 'acr-import local Azure test bed CA' }]
  cert.setSubject(subject)
  cert.setIssuer(subject)
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' }
  ])
  cert.sign(privateKey, forge.md.sha256.create())
  return { certPem: forge.pki.certificateToPem(cert), cert, key: privateKey }
}

/** One certificate for every host the test bed serves (names may be `*.` wildcards). */
export function issueServerCertificate(
  ca: CertificateAuthority,
  { privateKey, publicKey }: RsaKeys,
  hostNames: string[],
  ipAddresses: string[]
): ServerCertificate {
  const cert = newCertificate(publicKey, 2)
  cert.setSubject([{ name: 'commonName', value: hostNames[0] ?? 'localhost' }])
  cert.setIssuer(ca.cert.subject.attributes)
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        ...hostNames.map((value) => ({ type: 2, value })),
        ...ipAddresses.map((ip) => ({ type: 7, ip }))
      ]
    }
  ])
  cert.sign(ca.key, forge.md.sha256.create())
  return { certPem: forge.pki.certificateToPem(cert), keyPem: forge.pki.privateKeyToPem(privateKey) }
}
