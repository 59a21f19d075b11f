// What the trust policy tests read: a folder (removed after the file's tests) of public keys of each kind cosign
// signs with and a few it does not, CA and leaf certificates made by openssl, and Sigstore trusted roots, good and
// broken. Images files and trust policy files are written beside them, so relative paths are tested as users
// write them.
import { afterAll } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { createHash, generateKeyPairSync, X509Certificate, type KeyObject } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

export interface TrustFixtures {
  dir: string
  /** Writes `text` at `path` (relative to dir, folders made) and returns the absolute path. */
  write(path: string, text: string | Buffer): string
  /** An images file (a new name each time) in dir; `folder` puts it in a subfolder. */
  imagesFile(text: string, folder?: string): string
  read(path: string): string
  /** SPKI PEMs of the keys written under keys/, by file name. */
  publicKeys: Record<string, string>
  /** The DER of certs/ca.pem, for trusted roots. */
  caDer: Buffer
}

const spkiPem = (key: KeyObject): string => key.export({ type: 'spki', format: 'pem' }).toString()

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' })
}

/** A Sigstore trusted root with `ca` as its Fulcio CA and `log` as its Rekor key. */
export function trustedRootJson(caDer: Buffer, log: KeyObject): Record<string, unknown> {
  const logDer = log.export({ type: 'spki', format: 'der' })
  return {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [
      {
        baseUrl: 'https://rekor.test.example',
        hashAlgorithm: 'SHA2_256',
        publicKey: {
          rawBytes: logDer.toString('base64'),
          keyDetails: 'PKIX_ECDSA_P256_SHA_256',
          validFor: { start: '2020-01-01T00:00:00Z' }
        },
        logId: { keyId: createHash('sha256').update(logDer).digest('base64') }
      }
    ],
    certificateAuthorities: [
      {
        subject: { organization: 'Contoso', commonName: 'Contoso Root CA' },
        uri: 'https://fulcio.test.example',
        certChain: { certificates: [{ rawBytes: caDer.toString('base64') }] },
        validFor: { start: '2020-01-01T00:00:00Z' }
      }
    ],
    ctlogs: [],
    timestampAuthorities: []
  }
}

export function trustFixtures(): TrustFixtures {
  const dir = mkdtempSync(join(tmpdir(), 'trust-policy-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const write = (path: string, text: string | Buffer): string => {
    const full = join(dir, path)
    mkdirSync(dirname(full), { recursive: true })
    writeFileSync(full, text)
    return full
  }
  let files = 0

  const publicKeys: Record<string, string> = {}
  const keys: Record<string, KeyObject> = {
    'ec.pub': generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey,
    'p384.pub': generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey,
    'rsa.pub': generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey,
    'ed25519.pub': generateKeyPairSync('ed25519').publicKey,
    'ed448.pub': generateKeyPairSync('ed448').publicKey,
    'secp256k1.pub': generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey
  }
  for (const [name, key] of Object.entries(keys)) {
    publicKeys[name] = spkiPem(key)
    write(`keys/${name}`, `# cosign.pub\n${publicKeys[name]}`)
  }
  const privateKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
  write('keys/private.pem', privateKey.export({ type: 'pkcs8', format: 'pem' }))
  write('keys/two.pub', `${publicKeys['ec.pub']}${publicKeys['rsa.pub']}`)
  write('keys/not-pem.pub', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ8 release@contoso\n')
  write('keys/garbage.pub', '-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----\n')
  write('keys/no-end.pub', publicKeys['ec.pub'].replace(/-----END PUBLIC KEY-----\n$/, ''))

  // Certificates: a root CA, a second CA, a leaf the root issued, a self-signed leaf.
  mkdirSync(join(dir, 'certs'), { recursive: true })
  const ca = (name: string, cn: string) =>
    openssl(join(dir, 'certs'), [
      ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'],
      ...['-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '3650'],
      ...['-subj', `/C=US/ST=WA/O=Contoso/CN=${cn}`],
      ...['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign']
    ])
  ca('ca', 'Contoso Root CA')
  ca('other-ca', 'Contoso Other CA')
  write('certs/leaf.ext', 'basicConstraints=CA:FALSE\n')
  openssl(join(dir, 'certs'), [
    ...['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'],
    ...['-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/C=US/ST=WA/O=Contoso/CN=release']
  ])
  openssl(join(dir, 'certs'), [
    ...['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial'],
    ...['-out', 'leaf.pem', '-days', '365', '-extfile', 'leaf.ext']
  ])
  openssl(join(dir, 'certs'), [
    ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'],
    ...['-keyout', 'self.key', '-out', 'self-signed-leaf.pem', '-days', '365'],
    ...['-subj', '/C=US/ST=WA/O=Contoso/CN=self', '-addext', 'basicConstraints=CA:FALSE']
  ])
  const read = (path: string) => readFileSync(join(dir, path), 'utf8')
  write('certs/two-cas.pem', `${read('certs/ca.pem')}${read('certs/other-ca.pem')}`)
  write('certs/ca-and-key.pem', `${read('certs/ca.pem')}${read('certs/ca.key')}`)
  write(
    'certs/broken.pem',
    '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n'
  )
  const caDer = new X509Certificate(read('certs/ca.pem')).raw

  // Trusted roots.
  const log = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey
  const root = trustedRootJson(caDer, log)
  write('sigstore/trusted_root.json', JSON.stringify(root))
  write('sigstore/no-ca.json', JSON.stringify({ ...root, certificateAuthorities: [] }))
  // The media type's later spelling (trusted roots of protobuf-specs v0.2 and on), without `;version=`.
  write(
    'sigstore/v0.2.json',
    JSON.stringify({ ...root, mediaType: 'application/vnd.dev.sigstore.trustedroot.v0.2+json' })
  )
  write('sigstore/no-tlogs.json', JSON.stringify({ ...root, tlogs: [] }))
  write(
    'sigstore/not-json.json',
    '{"mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1",'
  )
  write('sigstore/array.json', '[]')
  write('sigstore/other-media.json', JSON.stringify({ ...root, mediaType: 'application/json' }))
  write(
    'sigstore/bad-ca.json',
    JSON.stringify({
      ...root,
      certificateAuthorities: [{ certChain: { certificates: [{ rawBytes: 'bm90IGRlcg==' }] } }]
    })
  )

  return {
    dir,
    write,
    imagesFile: (text, folder = '.') => write(join(folder, `images-${++files}.yaml`), text),
    read,
    publicKeys,
    caDer
  }
}
