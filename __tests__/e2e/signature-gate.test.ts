// The signature gate (issue 19) through each host's bundle: images signed by the test kits as cosign and notation
// sign them, pushed into the test bed's Docker Hub (no referrers API: cosign's .sig tag and the referrers tag
// schema) and dev ACR (the referrers API), and promoted into prodacr with policies under `trust:`. Each signer kind
// verifies and is imported by the digest it signed, with what verified it in `results` and the summary; each
// kind of refusal imports nothing and says why in one line while the batch goes on; audit imports and warns; a
// dry run verifies; a `trust-policy` file alone verifies source lines. The steps group several entries each, so
// the file stays quick; each platform has its own test bed, so no fixture is shared between the two.
import { beforeAll, expect, test } from '@jest/globals'
import { AUDIT_HINT, REFUSED_HINT } from '../../src/core/signatures/gate.js'
import { joinSentences } from '../../src/core/errors/user-error.js'
import { shortDigest } from '../../src/core/util/digest.js'
import { actionHost } from './action-host.js'
import { expectSucceeded, resultsOf, type ResultRow } from './expect-run.js'
import type { HostRun } from './host.js'
import { NODE20, onEachHost } from './on-each-host.js'
import {
  createSigners,
  GITHUB_ISSUER,
  RELEASE_WORKFLOW,
  SignedRegistry,
  trustYaml,
  workflowSigner,
  writeTrustMaterial,
  type PushedImage,
  type PushedSignature
} from './signed-fixtures.js'
import { taskHost } from './task-host.js'
import { PROD, counting, importBodyFor } from './testbed-reads.js'
import { useWorkspace } from './workspace.js'

/** The sentence that follows a refusal (enforce) and an audit warning: what to do about it. */
const REFUSED = ` ${joinSentences('', REFUSED_HINT).slice(2)}`
const AUDITED = ` ${joinSentences('', AUDIT_HINT).slice(2)}`

const workspace = useWorkspace('signature-gate')
const signers = createSigners()
writeTrustMaterial(workspace.folder, signers)
const { releaseKey, strangerKey, sigstore } = signers

/** A results row with the gate's verdict, as the `results` output carries it. */
type GatedRow = ResultRow & {
  signature?: {
    verified: boolean
    policy?: string
    kind?: string
    signer?: string
    digest?: string
    mode?: string
    reason?: string
  }
}
const gatedResults = (run: HostRun): GatedRow[] => resultsOf(run) as GatedRow[]

interface ImportBody {
  source: { sourceImage: string }
}

/** Repository names are lower case: the keylessExpired image lives in …-keyless-expired. */
const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)

/** The images in Docker Hub (cosign's .sig tag, the referrers tag schema) and in the dev ACR (referrers API). */
const ON_HUB = [
  'keyed',
  'logged',
  'keyless',
  'cose',
  'unsigned',
  'stranger',
  'moved',
  'impostor',
  'keylessExpired'
] as const
const ON_DEV = ['bundle', 'jws', 'otherCa', 'expiredLeaf'] as const

/** An entry of an images file. */
const entry = (image: PushedImage, target: string, more: string[] = []): string[] => [
  `  - source: ${image.source}`,
  `    targets: [${target}]`,
  ...more.map((line) => `    ${line}`)
]

onEachHost('the signature gate', [[actionHost()], [taskHost(NODE20)]], (host, testbed) => {
  const target = (name: string): string => `${host.id}-gate/${name}:1`
  /**
   * Runs a step, counting its importImage POSTs and naming the repository of each image it imported (an image's,
   * or a signature's that travels with it: both are imported from the image's repository).
   */
  const runStep = async (inputs: Record<string, string>) => {
    const before = testbed.imports.length
    const { step, imports } = await counting(testbed, () => host.run(testbed, { inputs }, workspace.folder))
    const sent = testbed.imports.slice(before).map((i) => (i.body as ImportBody).source.sourceImage)
    return { step, imports, importedFrom: new Set(sent.map((image) => image.split('@')[0])) }
  }
  const runFile = (name: string, lines: string[], inputs: Record<string, string> = {}) =>
    runStep({ 'images-file': workspace.write(`${host.id}-${name}.yaml`, lines.join('\n')), ...inputs })

  /** The images and what signs each, pushed before the tests (each test bed gets its own). */
  const images = {} as Record<(typeof ON_HUB)[number] | (typeof ON_DEV)[number] | 'index', PushedImage>
  const signatures = {} as Record<'keyed' | 'logged' | 'bundle' | 'keyless' | 'jws' | 'cose', PushedSignature>

  beforeAll(async () => {
    const hub = new SignedRegistry(testbed.backend('docker.io'), 'docker.io', true)
    const dev = new SignedRegistry(testbed.backend('devacr.azurecr.io'), 'devacr.azurecr.io', false)
    for (const name of ON_HUB)
      images[name] = await hub.image(`library/${host.id}-gate-${kebab(name)}`, '1', `${host.id}/${name}`)
    for (const name of ON_DEV)
      images[name] = await dev.image(`${host.id}-gate/${kebab(name)}`, '1', `${host.id}/${name}`)

    signatures.keyed = await hub.cosignSignature(images.keyed, [{ signer: { key: releaseKey } }])
    signatures.logged = await hub.cosignSignature(images.logged, [{ signer: { key: releaseKey }, sigstore }])
    signatures.bundle = await dev.sigstoreBundle(images.bundle, { key: releaseKey }, sigstore)
    signatures.keyless = await hub.sigstoreBundle(images.keyless, workflowSigner(), sigstore)
    signatures.jws = await dev.notationSignature(images.jws, signers.releaseCertificate, 'jws')
    signatures.cose = await hub.notationSignature(images.cose, signers.releaseCertificate, 'cose')

    await hub.cosignSignature(images.stranger, [{ signer: { key: strangerKey } }])
    // A valid signature by the release key, of the keyed image, moved onto another image's .sig tag.
    await hub.cosignSignature(images.moved, [{ signer: { key: releaseKey } }], images.keyed.digest)
    // Another repository's workflow whose identity merely contains the release workflow's.
    await hub.cosignSignature(images.impostor, [
      { signer: workflowSigner(`https://github.com/contoso-evil/app/x?${RELEASE_WORKFLOW}`), sigstore }
    ])
    const twentyMinutesAgo = new Date(Date.now() - 20 * 60_000)
    await hub.cosignSignature(images.keylessExpired, [
      { signer: workflowSigner(RELEASE_WORKFLOW, { notBefore: twentyMinutesAgo }), sigstore }
    ])
    await dev.notationSignature(images.otherCa, signers.devCertificate, 'jws')
    await dev.notationSignature(images.expiredLeaf, signers.expiredCertificate, 'cose')
    // An index whose platform image is signed, but not the index: what was signed is not what is imported.
    const platform = await dev.image(`${host.id}-gate/index`, 'amd64', `${host.id}/index-amd64`)
    await dev.notationSignature(platform, signers.releaseCertificate, 'jws')
    images.index = await dev.index(`${host.id}-gate/index`, '1', [platform])
  }, 60_000)

  test('verifies each signer kind and imports the digest it signed, saying what verified it', async () => {
    const { step, imports } = await runFile('verified', [
      ...trustYaml(['release-key', 'release-key-logged', 'github-release', 'contoso-ca']),
      'defaults:',
      '  verify: [release-key, contoso-ca]',
      'images:',
      ...entry(images.keyed, target('keyed')),
      ...entry(images.logged, target('logged'), ['verify: release-key-logged']),
      ...entry(images.bundle, target('bundle'), ['verify: release-key-logged']),
      ...entry(images.keyless, target('keyless'), ['verify: github-release']),
      ...entry(images.jws, target('jws')),
      ...entry(images.cose, target('cose'), ['verify: contoso-ca'])
    ])
    expectSucceeded(step)
    // Each image, and the signature that verified it (a referrer, imported by digest after it).
    expect(imports).toBe(12)
    const byKey = { kind: 'cosign', signer: releaseKey.fingerprint }
    const notation = {
      kind: 'notation',
      signer: 'C=US, ST=WA, L=Seattle, O=Contoso, CN=release.contoso.example'
    }
    const expected = [
      { policy: 'release-key', ...byKey, digest: signatures.keyed.digest },
      { policy: 'release-key-logged', ...byKey, digest: signatures.logged.digest },
      { policy: 'release-key-logged', ...byKey, kind: 'sigstore-bundle', digest: signatures.bundle.digest },
      {
        policy: 'github-release',
        kind: 'sigstore-bundle',
        signer: `${RELEASE_WORKFLOW} (${GITHUB_ISSUER})`,
        digest: signatures.keyless.digest
      },
      { policy: 'contoso-ca', ...notation, digest: signatures.jws.digest },
      { policy: 'contoso-ca', ...notation, digest: signatures.cose.digest }
    ]
    expect(gatedResults(step).map((r) => [r.status, r.signature])).toEqual(
      expected.map((signature) => ['imported', { verified: true, ...signature }])
    )
    // What was verified is what was imported: each import names the source by the digest the signature signs.
    const names = ['keyed', 'logged', 'bundle', 'keyless', 'jws', 'cose'] as const
    for (const name of names) {
      const sent = importBodyFor(testbed, target(name)) as { source: { sourceImage: string } }
      expect(sent.source.sourceImage).toBe(`${images[name].repo}@${images[name].digest}`)
    }
    // And the signature that verified it travels with it.
    const prod = testbed.backend(PROD)
    expect(await prod.headManifest(`${host.id}-gate/keyed`, signatures.keyed.tag!)).toBe(
      signatures.keyed.digest
    )
    expect(await prod.headManifest(`${host.id}-gate/jws`, signatures.jws.digest)).toBe(signatures.jws.digest)
    expect(await prod.headManifest(`${host.id}-gate/keyless`, signatures.keyless.digest)).toBe(
      signatures.keyless.digest
    )
    // The summary's column names the policy and the kind.
    expect(step.summary).toMatch(/\| Status \| Image and targets \| Digest \| Signature \|/)
    expect(step.summary).toContain('| ✅ release-key<br>cosign |')
    expect(step.summary).toContain('| ✅ release-key-logged<br>sigstore bundle |')
    expect(step.summary).toContain('| ✅ github-release<br>sigstore bundle |')
    expect(step.summary).toContain('| ✅ contoso-ca<br>notation |')
    expect(step.log).toContain(
      `Signature verified by github-release: sigstore bundle signature ${shortDigest(signatures.keyless.digest)}, ` +
        `signed by ${RELEASE_WORKFLOW} (${GITHUB_ISSUER})`
    )
  }, 180_000)

  test('refuses each untrusted image in one line and imports nothing of it, while the batch goes on', async () => {
    const refused: [keyof typeof images, string, RegExp][] = [
      [
        'unsigned',
        'release-key',
        new RegExp(
          `no signature found for ${images.unsigned.digest}; release-key requires one\\. Promote an image signed as the policy expects`
        )
      ],
      [
        'stranger',
        'release-key',
        /1 signature found \(cosign\); none verifies with release-key: cosign: signed by another key/
      ],
      [
        'moved',
        'release-key',
        new RegExp(`cosign: signs ${shortDigest(images.keyed.digest)}, not this image`)
      ],
      // An offline signature where the policy requires the transparency log.
      [
        'keyed',
        'release-key-logged',
        /none verifies with release-key-logged: cosign: no transparency-log entry/
      ],
      [
        'impostor',
        'github-release',
        /cosign: certificate identity 'https:\/\/github\.com\/contoso-evil\/app\/x\?https:\/\/github\.com\/contoso\/app\/.* does not match/
      ],
      ['keylessExpired', 'github-release', /cosign: certificate expired before the log entry/],
      [
        'otherCa',
        'contoso-ca',
        /notation: certificate chain ends at 'Contoso Dev Root CA', not in the trust store/
      ],
      [
        'expiredLeaf',
        'contoso-ca',
        /notation: certificate 'release\.contoso\.example' expired before the signing time/
      ],
      // Its platform image is signed, the index is not: a signature signs one digest.
      [
        'index',
        'contoso-ca',
        new RegExp(
          `no signature found for ${images.index.digest}; contoso-ca requires one\\. Promote an image signed as the policy expects`
        )
      ]
    ]
    const { step, imports, importedFrom } = await runFile('refused', [
      ...trustYaml(['release-key', 'release-key-logged', 'github-release', 'contoso-ca']),
      'images:',
      ...refused.flatMap(([name, policy]) =>
        entry(images[name], target(`refused-${kebab(name)}`), [`verify: ${policy}`])
      ),
      // A trusted image in the same batch is imported all the same.
      ...entry(images.jws, target('refused-trusted'), ['verify: contoso-ca'])
    ])
    expect(step.failed).toBe(true)
    // The trusted image and its signature; nothing of any refused image.
    expect(imports).toBe(2)
    expect([...importedFrom]).toEqual([images.jws.repo])
    const rows = gatedResults(step)
    expect(rows.map((r) => r.status)).toEqual([...refused.map(() => 'failed'), 'imported'])
    refused.forEach(([, , reason], i) => {
      expect(rows[i].error).toMatch(/^Signature not verified: /)
      expect(rows[i].error).toMatch(reason)
      expect(rows[i].error).not.toContain('\n')
      expect(rows[i].signature).toMatchObject({ verified: false, mode: 'enforce' })
      // Each refusal is an error line of its own.
      expect(step.errors.filter((line) => reason.test(line))).toHaveLength(1)
    })
    expect(rows[refused.length].signature).toMatchObject({ verified: true, policy: 'contoso-ca' })
    expect(step.summary).toContain('❌ not verified')
    for (const [name] of refused)
      expect(
        await testbed.backend(PROD).headManifest(`${host.id}-gate/refused-${kebab(name)}`, '1')
      ).toBeUndefined()
  }, 180_000)

  test('audit imports an image that does not verify, and warns why', async () => {
    const { step, imports, importedFrom } = await runFile('audit', [
      ...trustYaml(['release-key']),
      'defaults:',
      '  verify: release-key',
      '  verify-mode: audit',
      'images:',
      ...entry(images.unsigned, target('audit-unsigned')),
      ...entry(images.keyed, target('audit-keyed'))
    ])
    expectSucceeded(step)
    // The unsigned image, and the signed one with its signature.
    expect(imports).toBe(3)
    expect([...importedFrom].sort()).toEqual([images.keyed.repo, images.unsigned.repo].sort())
    const [unsigned, keyed] = gatedResults(step)
    expect(unsigned.status).toBe('imported')
    const reason = `no signature found for ${images.unsigned.digest}; release-key requires one`
    expect(unsigned.signature).toEqual({ verified: false, mode: 'audit', reason })
    expect(keyed.signature).toMatchObject({ verified: true, policy: 'release-key' })
    expect(step.warnings).toContainEqual(
      expect.stringContaining(
        `Signature not verified (verify-mode: audit, not enforced): ${reason}.${AUDITED}`
      )
    )
    expect(step.summary).toContain('⚠️ not verified (audit)')
    expect(step.summary).toMatch(
      /Needs attention[\s\S]*signature not verified \(verify-mode: audit, not enforced\)/
    )
  }, 120_000)

  test('a dry run verifies too: it refuses what the real run would, and says what verified the rest', async () => {
    const { step, imports } = await runFile(
      'dry-run',
      [
        ...trustYaml(['release-key', 'contoso-ca']),
        'images:',
        ...entry(images.cose, target('dry-cose'), ['verify: contoso-ca']),
        ...entry(images.stranger, target('dry-stranger'), ['verify: release-key'])
      ],
      { 'dry-run': 'true' }
    )
    expect(step.failed).toBe(true)
    expect(imports).toBe(0)
    const [cose, stranger] = gatedResults(step)
    expect(cose.status).toBe('planned')
    expect(cose.signature).toMatchObject({
      verified: true,
      policy: 'contoso-ca',
      digest: signatures.cose.digest
    })
    expect(stranger.status).toBe('failed')
    expect(stranger.error).toMatch(/^Signature not verified: .*cosign: signed by another key/)
  }, 120_000)

  test('a trust-policy file verifies the source lines of a step without an images file', async () => {
    const policy = workspace.write(
      `${host.id}-trust-policy.yaml`,
      [...trustYaml(['release-key']), 'verify: release-key'].join('\n')
    )
    const { step, imports, importedFrom } = await runStep({
      source: [
        `${images.keyed.source} => ${target('policy-keyed')}`,
        `${images.unsigned.source} => ${target('policy-unsigned')}`
      ].join('\n'),
      'trust-policy': policy
    })
    expect(imports).toBe(2)
    expect([...importedFrom]).toEqual([images.keyed.repo])
    const [keyed, unsigned] = gatedResults(step)
    expect(keyed).toMatchObject({ status: 'imported', signature: { verified: true, policy: 'release-key' } })
    expect(unsigned.status).toBe('failed')
    expect(unsigned.error).toBe(
      `Signature not verified: no signature found for ${images.unsigned.digest}; release-key requires one.${REFUSED}`
    )
    expect(step.failed).toBe(true)
    expect(step.errors.some((line) => line.includes(unsigned.error!))).toBe(true)
  }, 120_000)
})
