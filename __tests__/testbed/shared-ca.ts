// Writes a new test bed CA (ca.pem, ca-key.pem) into the folder given as the only argument, for
// scripts/run-tests.mjs: every test bed of the run then signs with it (testbedCertificateAuthority).
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import forge from 'node-forge'
import { createCertificateAuthority } from './net/tls.js'

const dir = process.argv[2]
if (!dir) throw new Error('usage: tsx __tests__/testbed/shared-ca.ts <folder>')
const ca = await createCertificateAuthority()
await writeFile(join(dir, 'ca.pem'), ca.certPem)
await writeFile(join(dir, 'ca-key.pem'), forge.pki.privateKeyToPem(ca.key), { mode: 0o600 })
