// The expand stage in-process, with a fake tag lister and fake manifest readers: matching tags grouped by
// digest into one import each (pinned, every tag a target tag in every target repository), a tag whose digest
// cannot be read imported by its tag, a tag gone since the listing left out, no match as a warning, a repository
// that cannot be listed as a failed entry with the hint; then the plan, which leaves the tags that already hold
// the digest and fails a moved tag under NoForce.
import { importName, tagsToWrite } from '../../src/core/plan/planned-import.js'
import { describe, expect, it } from '@jest/globals'
import type { Entry } from '../../src/core/entries/entry.js'
import { expandTagPatterns, type ExpandContext } from '../../src/core/expand/expand-tag-patterns.js'
import { planImports } from '../../src/core/plan/plan-imports.js'
import type { ManifestRead } from '../../src/core/registry/manifest-info.js'
import type { ManifestReaders } from '../../src/core/resolve/manifest-readers.js'
import type { TagListing } from '../../src/core/registry/tag-listing.js'
import type { ResolvedEntry } from '../../src/core/resolve/source-access.js'
import type { Logger } from '../../src/core/log/logger.js'
import type { RegistryInfo } from '../../src/core/arm/registry-info.js'

const digest = (c: string) => `sha256:${c.repeat(64)}`
/** The source: 1.27.3, 1.27 and latest are one image; 1.27.2 another; 1.27.1 unreadable; 1.27.0 gone. */
const SOURCE: Record<string, ManifestRead> = {
  '1.27.3': { kind: 'read', manifest: { digest: digest('3'), platforms: [] } },
  '1.27': { kind: 'read', manifest: { digest: digest('3'), platforms: [] } },
  latest: { kind: 'read', manifest: { digest: digest('3'), platforms: [] } },
  '1.27.2': { kind: 'read', manifest: { digest: digest('2'), platforms: [] } },
  '1.27.1': { kind: 'unreadable', reason: 'HTTP 429 TOOMANYREQUESTS', status: 429 },
  '1.27.0': { kind: 'not-found', detail: 'manifest unknown' }
}
const TAGS = ['1.26.3', ...Object.keys(SOURCE), '1.27.3-alpine']

function recordingLog(): Logger & { lines: string[] } {
  const lines: string[] = []
  const add = (level: string) => (message: string) => lines.push(`${level}: ${message}`)
  return {
    lines,
    info: add('info'),
    notice: add('notice'),
    warning: add('warning'),
    debug: add('debug'),
    group: async (title, fn) => {
      lines.push(`group: ${title}`)
      return fn()
    },
    setSecret: () => undefined
  }
}

function patternEntry(fields: Partial<Entry> = {}): ResolvedEntry {
  const reference = { registry: 'docker.io', repository: 'library/nginx' }
  const entry: Entry = {
    written: 'docker.io/library/nginx',
    origin: 'images.yaml line 2',
    reference,
    targetTags: [],
    untaggedRepositories: [],
    force: false,
    referrers: true,
    lock: false,
    notices: [],
    tagPattern: {
      pattern: { regex: '1\\.27.*|latest', exclude: '-alpine$', prerelease: false },
      targetRepositories: ['mirror/nginx', 'base/nginx']
    },
    ...fields
  }
  return { entry, reference, access: { kind: 'registryUri' }, target: TARGET }
}

function context(listing: TagListing, targets: Record<string, string> = {}) {
  const log = recordingLog()
  const readers: ManifestReaders = {
    readSource: async ({ reference }) =>
      reference.digest
        ? { kind: 'read', manifest: { digest: reference.digest, platforms: [] } }
        : SOURCE[reference.tag ?? ''],
    readTarget: () => Promise.reject(new Error('the plan reads digests only')),
    readTargetDigest: async (_server, repository, tag) =>
      targets[`${repository}:${tag}`]
        ? { kind: 'read', manifest: { digest: targets[`${repository}:${tag}`], platforms: [] } }
        : { kind: 'not-found', detail: 'tag unknown' }
  }
  const expand: ExpandContext = { listTags: async () => listing, readers, log }
  return { expand, readers, log }
}

const TARGET = { loginServer: 'prodacr.azurecr.io', id: '/subscriptions/x', sku: 'Premium' } as RegistryInfo

describe('expandTagPatterns', () => {
  it('groups the matching tags by digest: one pinned import per digest, every tag in every target repository', async () => {
    const { expand, log } = context({ kind: 'listed', tags: TAGS })
    const plain = { ...patternEntry(), entry: { ...patternEntry().entry, tagPattern: undefined } }
    const { imports, patterns } = await expandTagPatterns([plain, patternEntry()], expand)
    expect(imports[0]).toBe(plain)
    expect(imports.slice(1).map((i) => [i.reference.digest ?? i.reference.tag, i.entry.targetTags])).toEqual([
      [
        digest('3'),
        [
          'mirror/nginx:1.27.3',
          'mirror/nginx:1.27',
          'mirror/nginx:latest',
          'base/nginx:1.27.3',
          'base/nginx:1.27',
          'base/nginx:latest'
        ]
      ],
      [digest('2'), ['mirror/nginx:1.27.2', 'base/nginx:1.27.2']],
      // Its digest could not be read: imported by its tag, on its own.
      ['1.27.1', ['mirror/nginx:1.27.1', 'base/nginx:1.27.1']]
    ])
    // What the user wrote stays as written; the import carries its tags, and is named by them.
    expect(imports[1].entry.written).toBe('docker.io/library/nginx')
    expect(imports[1].patternTags).toEqual(['1.27.3', '1.27', 'latest'])
    expect(importName(imports[1])).toBe('docker.io/library/nginx:1.27.3 (+ 1.27, latest)')
    expect(imports[1].entry.tagPattern).toBeUndefined()
    expect(patterns).toEqual([
      {
        source: 'docker.io/library/nginx',
        origin: 'images.yaml line 2',
        matched: ['1.27.3', '1.27.2', '1.27.1', '1.27.0', '1.27', 'latest']
      }
    ])
    expect(log.lines).toEqual(
      expect.arrayContaining([
        'group: Tags of docker.io/library/nginx: 6 matched',
        `info: 6 of 8 tags match regex '1\\.27.*|latest', exclude '-alpine$'`,
        `info: sha256:333333333333: 1.27.3, 1.27, latest`,
        expect.stringMatching(/^info: 1\.27\.0: gone since the tags were listed/),
        'info: digest not read: 1.27.1'
      ])
    )
  })

  it('takes the digests an ACR listing names, without reading any', async () => {
    const { expand } = context({
      kind: 'listed',
      tags: ['1.27', 'latest'],
      digests: new Map([
        ['1.27', digest('a')],
        ['latest', digest('a')]
      ])
    })
    expand.readers = { ...expand.readers, readSource: () => Promise.reject(new Error('no read expected')) }
    const { imports } = await expandTagPatterns([patternEntry()], expand)
    expect(imports.map((i) => i.reference.digest)).toEqual([digest('a')])
  })

  it('a pattern that matches nothing is a warning and no import', async () => {
    const { expand, log } = context({ kind: 'listed', tags: ['1.26.3', 'stable'] })
    const { imports, patterns } = await expandTagPatterns([patternEntry()], expand)
    expect(imports).toEqual([])
    expect(patterns[0].matched).toEqual([])
    expect(log.lines).toContain(
      `warning: images.yaml line 2: no tag of docker.io/library/nginx matches regex '1\\.27.*|latest', exclude '-alpine$' (2 tags listed); nothing to import for it`
    )
  })

  it.each<[string, TagListing, ResolvedEntry['access'], RegExp]>([
    [
      'not found',
      {
        kind: 'not-found',
        detail: 'docker.io/library/nginy: NAME_UNKNOWN repository name not known to registry'
      },
      { kind: 'registryUri' },
      /: the repository was not found \(.*NAME_UNKNOWN.*\)\. Check the source repository/
    ],
    [
      'private, anonymously',
      { kind: 'unlistable', reason: 'docker.io/x answered HTTP 401 UNAUTHORIZED', status: 401 },
      { kind: 'registryUri' },
      /HTTP 401 UNAUTHORIZED\. The repository may be private: give credentials/
    ],
    [
      'private, with credentials',
      { kind: 'unlistable', reason: 'docker.io/x answered HTTP 403 DENIED', status: 403 },
      { kind: 'registryUri', credentials: { username: 'u', password: 'p' } },
      /HTTP 403 DENIED\. Check that the credentials may pull/
    ],
    [
      'an ACR without a role',
      { kind: 'unlistable', reason: 'devacr.azurecr.io/x answered HTTP 403', status: 403 },
      { kind: 'resourceId', registry: TARGET },
      /Give the identity a role that may read the registry/
    ],
    [
      'a registry error',
      { kind: 'unlistable', reason: 'docker.io/x answered HTTP 500', status: 500 },
      { kind: 'registryUri' },
      /Run the step again/
    ]
  ])(
    'a repository that cannot be listed (%s) fails the entry with the hint',
    async (_name, listing, access, line) => {
      const { expand, readers } = context(listing)
      const { imports, patterns } = await expandTagPatterns([{ ...patternEntry(), access }], expand)
      expect(imports).toHaveLength(1)
      expect(imports[0].failure).toMatch(
        /^images\.yaml line 2: the tags of docker\.io\/library\/nginx cannot be listed: /
      )
      expect(imports[0].failure).toMatch(line)
      expect(patterns[0].failed).toBe(true)
      const [plan] = await planImports(imports, {
        readers,
        skipUnchanged: true,
        dryRun: false
      })
      expect(plan.decision).toEqual({ kind: 'fail', error: imports[0].failure })
    }
  )

  it("a pattern's tag that another entry writes to the same image is left to that entry", async () => {
    const { expand, readers } = context({ kind: 'listed', tags: ['latest'] })
    const other = patternEntry({
      origin: 'source line 1',
      written: 'nginx:latest',
      targetTags: ['mirror/nginx:latest'],
      tagPattern: undefined
    })
    const plain = { ...other, reference: { ...other.reference, tag: 'latest' } }
    const { imports } = await expandTagPatterns([plain, patternEntry()], expand)
    expect(imports[1].sharedTags?.map((s) => s.tag)).toEqual(['mirror/nginx:latest'])
    const plans = await planImports(imports, { readers, skipUnchanged: false, dryRun: false })
    expect(plans.map((p) => p.decision.kind)).toEqual(['import', 'import'])
    // The pattern's import writes its other tags and leaves the shared one to the entry that writes it too.
    expect(tagsToWrite(plans[1])).toEqual(['base/nginx:latest'])
  })

  it("a pattern's tag that another entry writes to another image fails that import, naming both", async () => {
    const { expand, readers } = context({ kind: 'listed', tags: ['latest'] })
    const other = patternEntry({
      origin: 'source line 1',
      written: 'nginx:1.27.2',
      targetTags: ['mirror/nginx:latest'],
      tagPattern: undefined
    })
    const plain = { ...other, reference: { ...other.reference, tag: '1.27.2' } }
    const { imports } = await expandTagPatterns([plain, patternEntry()], expand)
    const plans = await planImports(imports, { readers, skipUnchanged: false, dryRun: false })
    expect(plans[0].decision.kind).toBe('import')
    expect(plans[1].decision).toEqual({
      kind: 'fail',
      error:
        "Target 'mirror/nginx:latest' is written by both source line 1 (nginx:1.27.2) and the tags of images.yaml line 2. Give the tag pattern its own target repository, or exclude that tag."
    })
  })
})

describe('the plan of a tag pattern', () => {
  it('leaves the tags that hold the digest and imports the others; none left is unchanged', async () => {
    const targets = {
      'mirror/nginx:1.27.3': digest('3'),
      'mirror/nginx:latest': digest('3'),
      'base/nginx:1.27.3': digest('3'),
      'base/nginx:1.27': digest('3'),
      'base/nginx:latest': digest('3'),
      'mirror/nginx:1.27.2': digest('2'),
      'base/nginx:1.27.2': digest('2')
    }
    const { expand, readers } = context(
      { kind: 'listed', tags: ['1.27.3', '1.27', 'latest', '1.27.2'] },
      targets
    )
    const { imports } = await expandTagPatterns([patternEntry()], expand)
    const plans = await planImports(imports, { readers, skipUnchanged: true, dryRun: false })
    // The entry keeps every tag it names; the plan says which of them the import writes.
    expect(plans[0].entry.targetTags).toHaveLength(6)
    expect(plans.map((p) => [p.decision.kind, tagsToWrite(p), p.unchangedTags])).toEqual([
      [
        'import',
        ['mirror/nginx:1.27'],
        [
          'mirror/nginx:1.27.3',
          'mirror/nginx:latest',
          'base/nginx:1.27.3',
          'base/nginx:1.27',
          'base/nginx:latest'
        ]
      ],
      ['unchanged', ['mirror/nginx:1.27.2', 'base/nginx:1.27.2'], []]
    ])
  })

  it('a moved tag under NoForce fails, naming the tag and the fix', async () => {
    const { expand, readers } = context(
      { kind: 'listed', tags: ['latest'] },
      { 'mirror/nginx:latest': digest('2') }
    )
    const { imports } = await expandTagPatterns([patternEntry()], expand)
    const [plan] = await planImports(imports, { readers, skipUnchanged: true, dryRun: false })
    expect(plan.decision).toEqual({
      kind: 'fail',
      error: `Target prodacr.azurecr.io/mirror/nginx:latest already exists and holds ${digest('2').slice(0, 19)}, not the source's ${digest('3').slice(0, 19)}. A tag that holds another image is not overwritten without force; use force: true to overwrite it.`
    })
  })
})
