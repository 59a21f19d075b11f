import { describe, expect, it } from '@jest/globals'
import { digestVerdict } from '../../src/core/verify/digest-verdict.js'
import type { ManifestRead } from '../../src/core/registry/manifest-info.js'

const A = `sha256:${'a'.repeat(64)}`
const B = `sha256:${'b'.repeat(64)}`
const read = (digest: string, platforms: string[] = []): ManifestRead => ({
  kind: 'read',
  manifest: { digest, platforms }
})
const unreadable: ManifestRead = { kind: 'unreadable', status: 403, reason: 'HTTP 403' }
const names = {
  sourceName: 'docker.io/library/nginx:1',
  targetName: 'prodacr.azurecr.io/nginx:1',
  targetLoginServer: 'prodacr.azurecr.io'
}

describe('digestVerdict', () => {
  it('accepts matching digests without warnings, platforms from the source', () => {
    expect(
      digestVerdict({ source: read(A, ['linux/amd64', 'linux/arm64']), target: read(A), ...names })
    ).toEqual({
      digest: A,
      platforms: ['linux/amd64', 'linux/arm64'],
      warnings: []
    })
  })

  it('fails on a mismatch, naming both digests', () => {
    const verdict = digestVerdict({ source: read(A), target: read(B), ...names })
    expect(verdict.failure).toBe(
      `Digest mismatch: prodacr.azurecr.io/nginx:1 is ${B}, but the source docker.io/library/nginx:1 was ${A}`
    )
  })

  it('compares with a digest given in the reference when the source is unreadable', () => {
    expect(digestVerdict({ source: unreadable, givenDigest: A, target: read(B), ...names }).failure).toMatch(
      /mismatch/
    )
  })

  it('fails when ARM said success but the tag is missing', () => {
    const verdict = digestVerdict({
      source: read(A),
      target: { kind: 'not-found', detail: 'MANIFEST_UNKNOWN' },
      ...names
    })
    expect(verdict.failure).toMatch(/not in the target registry/)
  })

  it('uses the target when only it is readable, and says verification was not possible', () => {
    const verdict = digestVerdict({ source: unreadable, target: read(B), ...names })
    expect(verdict.digest).toBe(B)
    expect(verdict.failure).toBeUndefined()
    expect(verdict.warnings.join()).toMatch(/Could not verify/)
  })

  it('uses the source when only it is readable, naming the role that would allow verification', () => {
    const verdict = digestVerdict({ source: read(A), target: unreadable, ...names })
    expect(verdict.digest).toBe(A)
    expect(verdict.warnings.join()).toMatch(
      /not verified.*AcrPull \(or "Container Registry Data Importer and Data Reader"\) on prodacr\.azurecr\.io/
    )
  })

  it('succeeds with an empty digest when neither side is readable, naming the missing role', () => {
    const verdict = digestVerdict({ source: unreadable, target: unreadable, ...names })
    expect(verdict.digest).toBe('')
    expect(verdict.failure).toBeUndefined()
    expect(verdict.warnings.join()).toMatch(/digest is unknown.*AcrPull/)
  })
})

describe('digestVerdict when the sign-in failed mid-run', () => {
  it('says the sign-in failed, not that a role is missing', () => {
    const names = {
      targetName: 'prodacr.azurecr.io/app:1',
      sourceName: 'docker.io/library/app:1',
      targetLoginServer: 'prodacr.azurecr.io'
    }
    const source: ManifestRead = {
      kind: 'read',
      manifest: { digest: `sha256:${'a'.repeat(64)}`, platforms: [] }
    }
    const target: ManifestRead = {
      kind: 'unreadable',
      reason: 'Sign-in with GitHub OIDC failed',
      signInFailed: true
    }
    const [warning] = digestVerdict({ source, target, ...names }).warnings
    expect(warning).toMatch(/the sign-in failed in the middle of the run \(not a missing role\)/)
    expect(warning).not.toMatch(/AcrPull/)
  })
})
