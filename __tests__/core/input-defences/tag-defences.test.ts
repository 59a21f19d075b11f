// What a registry lists and what a tag pattern says (issue 17 D5, D7): listed names outside the tag grammar are
// dropped with one notice that counts them, never shown; regexes are matched by RE2 in linear time, and a pattern
// RE2 cannot match that way is refused with one line when the input is read.
import { describe, expect, it } from '@jest/globals'
import type { RegistryInfo } from '../../../src/core/arm/registry-info.js'
import { expandTagPatterns } from '../../../src/core/expand/expand-tag-patterns.js'
import { matchTags } from '../../../src/core/expand/match-tags.js'
import { recordingLogger } from '../unit/fakes.js'
import type { ManifestReaders } from '../../../src/core/resolve/manifest-readers.js'
import type { ResolvedEntry } from '../../../src/core/resolve/source-access.js'
import { parseTagsInput } from '../../../src/core/request/tag-pattern.js'
import { UserError } from '../../../src/core/errors/user-error.js'
import { build, imagesFiles, refusal } from './defences-helpers.js'

const digest = `sha256:${'d'.repeat(64)}`
const files = imagesFiles()

describe('listed tags (D5)', () => {
  it('drops names outside the tag grammar with one notice naming how many, and never imports them', async () => {
    const hostile = [
      'x\n::error::owned',
      '##vso[task.setvariable variable=x]1',
      '$(touch /tmp/pwned)',
      '[c](javascript:alert(1))',
      '../../etc',
      '',
      `${'a'.repeat(129)}`
    ]
    const reference = { registry: 'registry.attacker.example', repository: 'team/app' }
    const resolved: ResolvedEntry = {
      entry: {
        written: 'registry.attacker.example/team/app',
        origin: 'images.yaml line 2',
        reference,
        targetTags: [],
        untaggedRepositories: [],
        force: false,
        referrers: false,
        lock: false,
        notices: [],
        tagPattern: { pattern: { regex: '.*', prerelease: false }, targetRepositories: ['mirror/app'] }
      },
      reference,
      access: { kind: 'registryUri' },
      target: { loginServer: 'prodacr.azurecr.io', sku: 'Premium' } as RegistryInfo
    }
    const readers = {
      readSource: async () => ({ kind: 'read', manifest: { digest, platforms: [] } })
    } as unknown as ManifestReaders
    const log = recordingLogger()
    const expanded = await expandTagPatterns([resolved], {
      listTags: async () => ({ kind: 'listed', tags: ['1.0', ...hostile, '1.1'] }),
      readers,
      log
    })
    expect(expanded.imports.map((i) => i.entry.targetTags)).toEqual([['mirror/app:1.0', 'mirror/app:1.1']])
    const notices = log.lines.filter((line) => line.startsWith('notice: '))
    expect(notices).toEqual([
      'notice: registry.attacker.example/team/app: 7 of the 9 names the registry listed are not valid tags and were left out'
    ])
    expect(log.lines.join('\n')).not.toMatch(/::error::|##vso|touch|javascript|\.\.\//)
    expect(log.lines).toContain("info: 2 of 2 tags match regex '.*'")
  })
})

describe('tag pattern regexes (D7)', () => {
  it("match '(a+)+$' against a hostile tag at once (backtracking took 95-117 s)", () => {
    const hostile = `${'a'.repeat(100)}-`
    expect(matchTags([hostile, 'aaa'], { regex: '(a+)+$', prerelease: false })).toEqual(['aaa'])
    expect(matchTags([hostile, 'aaa'], { regex: '.*', exclude: '(a+)+$', prerelease: false })).toEqual([
      hostile
    ])
  })

  it('keep the meaning of valid patterns: regex matches the whole tag, exclude anywhere in it', () => {
    const tags = ['1.27', '1.27.3', '1.27.3-alpine', 'lts', 'lts-slim', '22']
    expect(matchTags(tags, { regex: '1\\.27|22|lts', exclude: '-alpine$', prerelease: false })).toEqual([
      '1.27',
      '22',
      'lts'
    ])
    expect(matchTags(tags, { regex: '(?<major>\\d+)\\.\\d{2}(\\.\\d+)?', prerelease: false })).toEqual([
      '1.27.3',
      '1.27'
    ])
  })

  it.each([
    [
      'a backreference',
      '(a)\\1',
      /regex '\(a\)\\1' cannot be matched in linear time \(invalid escape sequence: `\\1`\)/
    ],
    [
      'a lookahead',
      '1\\.27(?!-rc)',
      /cannot be matched in linear time \(invalid or unsupported Perl syntax: `\(\?!`\)/
    ],
    ['a lookbehind', '(?<=v)1', /cannot be matched in linear time/]
  ])('refuse %s with one line, in the tags input and in the images file', (_name, regex, message) => {
    let thrown: unknown
    try {
      parseTagsInput(`regex: ${regex}`)
    } catch (err) {
      thrown = err
    }
    expect(thrown).toBeInstanceOf(UserError)
    const line = (thrown as UserError).format()
    expect(line).toMatch(message)
    expect(line).toMatch(
      /^Input 'tags': .*\. Tags are matched with RE2 syntax: write the pattern without backreferences/
    )
    const imagesFile = files.file(
      `images:\n  - source: docker.io/library/nginx\n    tags: { exclude: '${regex}', semver: '1.x' }\n`
    )
    expect(refusal(() => build({ imagesFile }))).toMatch(
      /images-\d+\.yaml line 3: exclude .* cannot be matched in linear time/
    )
  })
})
