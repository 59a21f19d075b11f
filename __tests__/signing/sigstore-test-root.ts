// A Sigstore of our own for tests, offline: a Fulcio-like CA (P-384 root and intermediate, as Fulcio's), a Rekor-
// like transparency log (a P-256 key, signed entry timestamps, an RFC 6962 Merkle tree with signed checkpoints), a
// CT log for the SCTs Fulcio embeds, and the trusted_root.json that names them, in Sigstore's format
// (sigstore/protobuf-specs protos/sigstore_trustroot.proto, JSON as protojson writes it: base64 bytes, RFC 3339
// times), the file `cosign verify --trusted-root` and CosignPolicy.trustedRoot take.
//
// What each piece signs, and the sources followed:
// - signed entry timestamp (SET): the log key's ECDSA signature over the canonical JSON of {body (base64),
//   integratedTime, logIndex, logID (hex)} (sigstore/rekor pkg/api/entries.go; cosign pkg/cosign/verify.go
//   VerifySET; sigstore-js packages/verify/src/tlog/set.ts);
// - checkpoint: a signed note "<origin>\n<size>\n<root hash, base64>\n" + "\n— <name> <base64(key hint ‖ sig)>\n",
//   the key hint being the first 4 bytes of the log ID (transparency-dev/formats log/checkpoint.go, golang.org/x/mod
//   sumdb/note; sigstore-js tlog/checkpoint.ts); the Merkle tree is RFC 6962's (section 2.1).
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto'
import {
  issueCaCertificate,
  issueLeafCertificate,
  toPem,
  type CertificateAuthority,
  type CtLog
} from './cosign-x509.js'

/** JSON with its keys sorted and no white space: what Rekor signs (RFC 8785 for the values Rekor uses). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

const sha256 = (...parts: Buffer[]): Buffer => {
  const hash = createHash('sha256')
  for (const part of parts) hash.update(part)
  return hash.digest()
}
const spki = (key: KeyObject): Buffer => key.export({ type: 'spki', format: 'der' })

/** One entry as the log returns it: what goes into cosign's bundle annotation and a Sigstore bundle's tlogEntries. */
export interface LoggedEntry {
  body: Buffer
  integratedTime: number
  logIndex: number
  /** SHA-256 of the log's SPKI DER. */
  logId: Buffer
  signedEntryTimestamp: Buffer
  inclusionProof: {
    logIndex: number
    treeSize: number
    rootHash: Buffer
    hashes: Buffer[]
    checkpoint: string
  }
}

/** A Rekor-like log: it appends canonicalized entry bodies and answers as Rekor v1 does. */
export class TestRekorLog {
  readonly baseUrl = 'https://rekor.test.example'
  readonly privateKey: KeyObject
  readonly publicKey: KeyObject
  readonly logId: Buffer
  private readonly leafHashes: Buffer[] = []

  constructor() {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    this.privateKey = pair.privateKey
    this.publicKey = pair.publicKey
    this.logId = sha256(spki(this.publicKey))
  }

  append(body: Buffer, integratedTime: Date): LoggedEntry {
    const logIndex = this.leafHashes.length
    this.leafHashes.push(sha256(Buffer.from([0]), body))
    const seconds = Math.floor(integratedTime.getTime() / 1000)
    const promise = canonicalJson({
      body: body.toString('base64'),
      integratedTime: seconds,
      logIndex,
      logID: this.logId.toString('hex')
    })
    const treeSize = this.leafHashes.length
    const rootHash = merkleRoot(this.leafHashes)
    return {
      body,
      integratedTime: seconds,
      logIndex,
      logId: this.logId,
      signedEntryTimestamp: sign('sha256', Buffer.from(promise), this.privateKey),
      inclusionProof: {
        logIndex,
        treeSize,
        rootHash,
        hashes: auditPath(logIndex, this.leafHashes),
        checkpoint: this.checkpoint(treeSize, rootHash)
      }
    }
  }

  private checkpoint(treeSize: number, rootHash: Buffer): string {
    const name = new URL(this.baseUrl).host
    const note = `${name} - 2605736670972794746\n${treeSize}\n${rootHash.toString('base64')}\n`
    const signature = sign('sha256', Buffer.from(note), this.privateKey)
    const keyHint = this.logId.subarray(0, 4)
    return `${note}\n\u2014 ${name} ${Buffer.concat([keyHint, signature]).toString('base64')}\n`
  }
}

// RFC 6962 2.1: MTH and PATH over leaf hashes.
const node = (left: Buffer, right: Buffer): Buffer => sha256(Buffer.from([1]), left, right)
const split = (n: number): number => 2 ** Math.floor(Math.log2(n - 1))

function merkleRoot(leaves: Buffer[]): Buffer {
  if (leaves.length === 1) return leaves[0]
  const k = split(leaves.length)
  return node(merkleRoot(leaves.slice(0, k)), merkleRoot(leaves.slice(k)))
}

function auditPath(index: number, leaves: Buffer[]): Buffer[] {
  if (leaves.length === 1) return []
  const k = split(leaves.length)
  return index < k
    ? [...auditPath(index, leaves.slice(0, k)), merkleRoot(leaves.slice(k))]
    : [...auditPath(index - k, leaves.slice(k)), merkleRoot(leaves.slice(0, k))]
}

/** A certificate as Fulcio returns it: the leaf and the chain above it (intermediate, root). */
export interface IssuedCertificate {
  der: Buffer
  pem: string
  chainPem: string
}

export interface TestSigstore {
  /** trusted_root.json, parsed: give it as CosignPolicy.trustedRoot. */
  trustedRoot: Record<string, unknown>
  /** trusted_root.json as a file holds it, for `cosign verify --trusted-root` or a policy file. */
  trustedRootJson: string
  fulcio: { root: CertificateAuthority; intermediate: CertificateAuthority }
  rekor: TestRekorLog
  /** Absent when made with `ctLog: false` (a private Fulcio without certificate transparency). */
  ctLog?: CtLog
  /** A Fulcio-style certificate for an OIDC identity; valid 10 minutes from `notBefore` unless told otherwise. */
  issueCertificate(options: {
    publicKey: KeyObject
    issuer: string
    subject: string
    notBefore?: Date
    lifetimeSeconds?: number
  }): IssuedCertificate
}

/** The earliest time the test root trusts its CA and logs for: before any signing time a test picks. */
export const TEST_ROOT_VALID_FROM = new Date('2020-01-01T00:00:00Z')

/** Makes a test Sigstore. `ctLog: false` leaves certificate transparency out (then no SCT is asked for). */
export function createTestSigstore(options: { ctLog?: boolean } = {}): TestSigstore {
  const p384 = () => generateKeyPairSync('ec', { namedCurve: 'P-384' })
  const validity = { notBefore: TEST_ROOT_VALID_FROM, notAfter: new Date('2045-01-01T00:00:00Z') }
  const rootKeys = p384()
  const root = issueCaCertificate({
    name: { organization: 'sigstore.test', commonName: 'sigstore' },
    ...rootKeys,
    ...validity,
    pathLength: 1
  })
  const intermediate = issueCaCertificate({
    name: { organization: 'sigstore.test', commonName: 'sigstore-intermediate' },
    ...p384(),
    issuer: root,
    ...validity,
    pathLength: 0
  })
  const rekor = new TestRekorLog()
  let ctLog: CtLog | undefined
  if (options.ctLog !== false) {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    ctLog = { ...pair, logId: sha256(spki(pair.publicKey)) }
  }

  const logInstance = (baseUrl: string, key: KeyObject, logId: Buffer) => ({
    baseUrl,
    hashAlgorithm: 'SHA2_256',
    publicKey: {
      rawBytes: spki(key).toString('base64'),
      keyDetails: 'PKIX_ECDSA_P256_SHA_256',
      validFor: { start: TEST_ROOT_VALID_FROM.toISOString() }
    },
    logId: { keyId: logId.toString('base64') }
  })
  const trustedRoot = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [logInstance(rekor.baseUrl, rekor.publicKey, rekor.logId)],
    certificateAuthorities: [
      {
        subject: { organization: 'sigstore.test', commonName: 'sigstore' },
        uri: 'https://fulcio.test.example',
        certChain: {
          certificates: [intermediate, root].map((ca) => ({ rawBytes: ca.der.toString('base64') }))
        },
        validFor: { start: TEST_ROOT_VALID_FROM.toISOString() }
      }
    ],
    ctlogs:
      ctLog === undefined ? [] : [logInstance('https://ctfe.test.example', ctLog.publicKey, ctLog.logId)],
    timestampAuthorities: []
  }

  return {
    trustedRoot,
    trustedRootJson: JSON.stringify(trustedRoot, null, 2),
    fulcio: { root, intermediate },
    rekor,
    ctLog,
    issueCertificate({
      publicKey,
      issuer,
      subject,
      notBefore = new Date(Date.now() - 30_000),
      lifetimeSeconds = 600
    }) {
      const der = issueLeafCertificate({
        issuer: intermediate,
        publicKey,
        subjectAlternativeName: subject,
        oidcIssuer: issuer,
        notBefore,
        notAfter: new Date(notBefore.getTime() + lifetimeSeconds * 1000),
        ctLog
      })
      return {
        der,
        pem: toPem('CERTIFICATE', der),
        chainPem: toPem('CERTIFICATE', intermediate.der) + toPem('CERTIFICATE', root.der)
      }
    }
  }
}
