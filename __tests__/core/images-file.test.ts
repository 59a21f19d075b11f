// The images file as the entries stage reads it: the documented example with every field, defaults and
// credentials by name; how the file, its defaults and the step's inputs combine; and every bad file, each one
// line that names the file, the line and the field, refused before the network (buildEntries is pure but for the
// file and the environment). The JSON Schema for editors is checked against the same example and fields.
import { build as buildWith } from './input-defences/defences-helpers.js'
import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import { parse } from 'yaml'
import type { BuiltEntries } from '../../src/core/entries/build-entries.js'
import {
  CREDENTIAL_FIELDS,
  DEFAULT_FIELDS,
  ENTRY_FIELDS,
  FILE_FIELDS
} from '../../src/core/entries/images-file.js'
import { TAG_PATTERN_FIELDS } from '../../src/core/request/tag-pattern.js'
import { UserError } from '../../src/core/errors/user-error.js'
import { fullReference } from '../../src/core/reference/image-reference.js'
import type { StepRequest } from '../../src/core/request/step-request.js'

const repoRoot = join(import.meta.dirname, '..', '..')
const DEV_ID =
  '/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/devacr'
const ENV = {
  DOCKERHUB_USER: 'contosobot',
  DOCKERHUB_TOKEN: 'dckr_pat_a-token-from-the-environment',
  CONTOSO_REGISTRY_PASSWORD: 'contoso-password-from-the-environment'
}

const dir = mkdtempSync(join(tmpdir(), 'images-file-test-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let files = 0
/** Writes `text` to a file of its own in the temp folder; returns its absolute path. */
function imagesFile(text: string, name = `images-${++files}.yaml`): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

function build(overrides: Partial<StepRequest>, env: Record<string, string> = ENV): BuiltEntries {
  return buildWith(overrides, env)
}

/** What a file's entries mean, in a form that reads at a glance. */
function summary(built: BuiltEntries) {
  return built.entries.map((e) => ({
    origin: e.origin.replace(`${dir}/`, ''),
    source: fullReference(e.reference),
    targets: e.targetTags,
    ...(e.untaggedRepositories.length > 0 ? { repositories: e.untaggedRepositories } : {}),
    ...(e.force ? { force: true } : {}),
    ...(e.sourceRegistry ? { sourceRegistry: e.sourceRegistry.text } : {}),
    ...(e.credentials ? { credentials: e.credentials } : {})
  }))
}

/** The one line a user sees for a refused request (no line break, a hint), with the temp folder left out. */
function failure(overrides: Partial<StepRequest>, env: Record<string, string> = ENV): string {
  let thrown: unknown
  try {
    build(overrides, env)
  } catch (err) {
    thrown = err
  }
  if (!(thrown instanceof UserError)) throw new Error(`expected a UserError, got ${String(thrown)}`)
  const line = thrown.format()
  expect(line).not.toMatch(/[\r\n]/)
  expect(thrown.hint).toBeTruthy()
  return line.replaceAll(`${dir}/`, '')
}

/** The first ```yaml block of the README's "The images file": the documented example must be a valid file. */
const documentedExample = (): string => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8')
  return /```yaml\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf('### The images file')))![1]
}

/** The first ```yaml block of the README's "Mirror a repository by version". */
const tagPatternExample = (): string => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8')
  return /```yaml\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf('## Mirror a repository by version')))![1]
}

describe('the images file', () => {
  it('reads the documented example: every field, defaults, credentials by name, the secrets to register', () => {
    const path = imagesFile(documentedExample(), 'documented.yaml')
    const built = build({ imagesFile: path })
    const dockerHub = { username: 'contosobot', password: ENV.DOCKERHUB_TOKEN }
    expect(summary(built)).toEqual([
      {
        origin: 'documented.yaml line 13',
        source: 'docker.io/library/redis:7',
        targets: ['library/redis:7'],
        credentials: dockerHub
      },
      {
        origin: 'documented.yaml line 16',
        source: 'docker.io/library/busybox:1.36',
        targets: ['base/busybox:1.36', 'base/busybox:stable'],
        credentials: dockerHub
      },
      {
        origin: 'documented.yaml line 20',
        source: 'mcr.microsoft.com/dotnet/runtime:8.0',
        targets: ['dotnet/runtime:8.0']
      },
      {
        origin: 'documented.yaml line 25',
        source: 'registry.contoso.com/team/service:2.3.1',
        targets: ['team/service:2.3.1'],
        repositories: ['archive/team-service'],
        force: true,
        credentials: { username: 'ci-puller', password: ENV.CONTOSO_REGISTRY_PASSWORD }
      },
      {
        origin: 'documented.yaml line 34',
        source: `devacr.azurecr.io/app@sha256:${'3d9f8c0c4b43a9b1f3b0d8f2c5e5f7c1a9e6b4d2c8a7f5e3b1d9c7a5e3f1b9d7'}`,
        targets: ['app:1.0.0'],
        sourceRegistry: 'devacr'
      }
    ])
    // Each value read from the environment once, in the order read: the defaults' password and username (read
    // through username-env, so a secret too) when the first entry used them, then the entry's own password.
    expect(built.secrets).toEqual([ENV.DOCKERHUB_TOKEN, ENV.DOCKERHUB_USER, ENV.CONTOSO_REGISTRY_PASSWORD])
    // A target without a tag gets the source's: documented, so the plan's line says it, not a notice.
    expect(built.entries[2].targetTags).toEqual(['dotnet/runtime:8.0'])
    expect(built.entries[2].notices).toEqual([])
  })

  it('puts the source lines first, then the file in file order, each with where it was written', () => {
    const path = imagesFile(
      'images:\n  - nginx:1.27\n  - source: redis:7\n    targets: cache/redis:7\n',
      'order.yaml'
    )
    expect(
      summary(build({ sourceLines: ['alpine:3.20', 'busybox:1.36 => base/busybox:1.36'], imagesFile: path }))
    ).toEqual([
      { origin: 'source line 1', source: 'docker.io/library/alpine:3.20', targets: ['library/alpine:3.20'] },
      { origin: 'source line 2', source: 'docker.io/library/busybox:1.36', targets: ['base/busybox:1.36'] },
      {
        origin: 'order.yaml line 2',
        source: 'docker.io/library/nginx:1.27',
        targets: ['library/nginx:1.27']
      },
      { origin: 'order.yaml line 3', source: 'docker.io/library/redis:7', targets: ['cache/redis:7'] }
    ])
  })

  it('reads JSON, and YAML anchors shared between entries', () => {
    const json = imagesFile('{"images": [{"source": "nginx:1.27", "targets": ["web/nginx:1.27"]}]}', 'i.json')
    expect(summary(build({ imagesFile: json }))).toEqual([
      { origin: 'i.json line 1', source: 'docker.io/library/nginx:1.27', targets: ['web/nginx:1.27'] }
    ])
    const anchors = imagesFile(
      [
        'images:',
        '  - source: registry.contoso.com/team/a:1',
        '    credentials: &contoso { username: ci-puller, password-env: CONTOSO_REGISTRY_PASSWORD }',
        '  - source: registry.contoso.com/team/b:1',
        '    credentials: *contoso'
      ].join('\n')
    )
    const built = build({ imagesFile: anchors })
    expect(built.entries.map((e) => e.credentials?.username)).toEqual(['ci-puller', 'ci-puller'])
  })

  it("takes each field from the entry, else from defaults:, else from the step's input", () => {
    const path = imagesFile(
      [
        'defaults:',
        '  force: false',
        'images:',
        '  - source: a/one:1', // the file's default beats the step's force
        '  - source: a/two:1',
        '    force: true', // the entry's own beats both
        '    credentials: { username-env: DOCKERHUB_USER, password-env: DOCKERHUB_TOKEN }'
      ].join('\n')
    )
    const stepCredentials = { username: 'step-user', password: 'step-password' }
    const built = build({ imagesFile: path, force: true, credentials: stepCredentials })
    expect(built.entries.map((e) => [e.force, e.credentials])).toEqual([
      [false, stepCredentials],
      [true, { username: 'contosobot', password: ENV.DOCKERHUB_TOKEN }]
    ])
    const noDefaults = imagesFile('images:\n  - a/three:1\n')
    expect(build({ imagesFile: noDefaults, force: true }).entries[0].force).toBe(true)
  })

  it('reads a default source registry only for sources written without a registry host', () => {
    const path = imagesFile(
      [
        'defaults:',
        '  source-registry: devacr',
        'images:',
        '  - app:1.0.0',
        '  - devacr.azurecr.io/app:1.1.0',
        '  - docker.io/library/busybox:1.36'
      ].join('\n')
    )
    expect(summary(build({ imagesFile: path })).map((e) => [e.source, e.sourceRegistry])).toEqual([
      ['devacr.azurecr.io/app:1.0.0', 'devacr'],
      ['devacr.azurecr.io/app:1.1.0', 'devacr'],
      ['docker.io/library/busybox:1.36', undefined]
    ])
    // The step's source-registry is a default of the file too.
    const fromStep = imagesFile('images:\n  - app:1.0.0\n  - mcr.microsoft.com/dotnet/runtime:8.0\n')
    expect(
      summary(build({ imagesFile: fromStep, sourceRegistry: DEV_ID })).map((e) => e.sourceRegistry)
    ).toEqual([DEV_ID, undefined])
  })

  it("reads the defaults' variables only when an entry uses them", () => {
    const path = imagesFile(
      [
        'defaults:',
        '  credentials: { password-env: NOT_SET_ANYWHERE }',
        'images:',
        '  - source: mcr.microsoft.com/dotnet/runtime:8.0',
        '    credentials: none'
      ].join('\n')
    )
    const built = build({ imagesFile: path })
    expect(built.entries[0].credentials).toBeUndefined()
    expect(built.secrets).toEqual([])
  })
})

describe('a bad images file is one line naming the file, the line and the field', () => {
  const at = (text: string, env?: Record<string, string>) => failure({ imagesFile: imagesFile(text) }, env)

  it('a file that does not exist, or is a folder', () => {
    expect(failure({ imagesFile: join(dir, 'missing.yaml') })).toMatch(
      /^Images file missing\.yaml does not exist\. Check images-file \(imagesFile in Azure Pipelines\): a relative path is read from the workspace/
    )
    mkdirSync(join(dir, 'folder'))
    expect(failure({ imagesFile: join(dir, 'folder') })).toMatch(/^Images file folder is a folder\./)
  })

  it('a YAML syntax error, a field given twice, an alias without anchor', () => {
    expect(at('images:\n  - source: [nginx\n')).toMatch(
      /^images-\d+\.yaml line 3: not valid YAML: .*\. Fix the YAML at that line/
    )
    expect(at('images:\n  - source: nginx\n    source: redis\n')).toMatch(
      /^images-\d+\.yaml line 3: field 'source' is given twice\./
    )
    expect(at('images:\n  - source: a\n---\nimages: []\n')).toMatch(
      /line 3: the file holds more than one YAML document \(---\)/
    )
    expect(at('images: *shared\n')).toMatch(/line 1: the alias \*shared has no anchor &shared before it/)
  })

  it('an unknown field, listing the known ones', () => {
    expect(at('images:\n  - source: nginx\n    tag: 1.27\n')).toMatch(
      /^images-\d+\.yaml line 3: unknown field 'tag' in an entry of images\. The known fields are source, targets, repositories, tags, force, source-registry, credentials, referrers, lock, verify, verify-mode\.$/
    )
    expect(at('image:\n  - nginx\n')).toMatch(
      /line 1: unknown field 'image' in the file\. The known fields are images, defaults, trust, \$schema\./
    )
    expect(at('defaults:\n  targets: [a]\nimages: [nginx]\n')).toMatch(
      /line 2: unknown field 'targets' in defaults\. 'targets' belongs to each entry and has no default; the known fields are force, source-registry, credentials/
    )
    expect(at('images:\n  - source: nginx\n    credentials: { password: hunter2-secret }\n')).toMatch(
      /line 3: unknown field 'password' in credentials\. A password never goes in the file: name the environment variable/
    )
  })

  it('a value of the wrong type', () => {
    expect(at('images:\n  - source: nginx\n    force: yes\n')).toMatch(
      /^images-\d+\.yaml line 3: 'force' must be true or false, not 'yes'\. Write true or false\.$/
    )
    expect(at('images:\n  - source: nginx\n    targets: { web: 1 }\n')).toMatch(
      /line 3: 'targets' must be text, not a map\. Write targets as repository\[:tag\]/
    )
    expect(at('images:\n  - source: 1.10\n')).toMatch(
      /line 2: 'source' must be text, not a number: put it in quotes\./
    )
    expect(at('images:\n  - source: nginx\n    targets:\n      - web:1\n      - [web:2]\n')).toMatch(
      /line 5: 'targets' must be text, not a list/
    )
    expect(at('images: nginx\n')).toMatch(/line 1: 'images' must be a list, not text/)
    expect(at('defaults: true\nimages: [nginx]\n')).toMatch(
      /line 1: defaults must be a map of fields, not true/
    )
    expect(at('- nginx\n')).toMatch(
      /line 1: the file must be a map with an images: list\. List the images under/
    )
  })

  it('an entry without source, a file without images', () => {
    expect(at('images:\n  - targets: [web:1]\n')).toMatch(
      /^images-\d+\.yaml line 2: an entry of images has no 'source'\. Write source as/
    )
    expect(at('images:\n  - source:\n')).toMatch(/line 2: an entry of images has no 'source'/)
    expect(at('')).toMatch(/^images-\d+\.yaml line 1: the file is empty\./)
    expect(at('defaults:\n  force: true\n')).toMatch(/line 1: the file has no images: list\./)
    expect(at('images: []\n')).toMatch(/^The images file lists no images\./)
  })

  it('a credential variable that is not set, with how to map it (and never a value that may be a secret)', () => {
    const credentials = (names: string) => at(`images:\n  - source: nginx\n    credentials: ${names}\n`, {})
    expect(credentials('{ password-env: DOCKERHUB_TOKEN }')).toMatch(
      /^images-\d+\.yaml line 3: the environment variable DOCKERHUB_TOKEN \(password-env\) is not set\. Map a secret to it in the step's env:, e\.g\. DOCKERHUB_TOKEN: \$\{\{ secrets\.NAME \}\} on GitHub, DOCKERHUB_TOKEN: \$\(NAME\) in Azure Pipelines\.$/
    )
    expect(
      at('images:\n  - source: nginx\n    credentials: { password-env: EMPTY }\n', { EMPTY: ' ' })
    ).toMatch(/EMPTY \(password-env\) is not set/)
    // Not written like a variable: maybe the token itself, in the wrong place. It is never shown.
    const tokenLike = credentials('{ password-env: dckr_pat_Zq8aWk }')
    expect(tokenLike).toMatch(/the environment variable named in password-env is not set/)
    expect(tokenLike).not.toContain('dckr_pat_Zq8aWk')
    const notAName = credentials('{ password-env: "s3cret-p@ss" }')
    expect(notAName).toMatch(/line 3: 'password-env' must be the name of an environment variable\./)
    expect(notAName).not.toContain('s3cret')
    const notAMap = credentials('s3cret-p@ss')
    expect(notAMap).toMatch(/line 3: 'credentials' must be a map or none/)
    expect(notAMap).not.toContain('s3cret')
    expect(credentials('{ username: a, username-env: B, password-env: C }')).toMatch(
      /both 'username' and 'username-env'/
    )
    expect(credentials('{ username-env: DOCKERHUB_USER }')).toMatch(/line 3: credentials need 'password-env'/)
  })

  it('a malformed source, target or registry, at its own line', () => {
    expect(at('images:\n  - source: nginx\n  - source: Nginx\n')).toMatch(
      /^images-\d+\.yaml line 3: Malformed source reference 'Nginx'/
    )
    expect(at('images:\n  - source: nginx\n    targets:\n      - web:1\n      - web@sha256:1\n')).toMatch(
      /line 5: Malformed target 'web@sha256:1'/
    )
    expect(at('images:\n  - source: nginx\n    targets: quay.io/web:1\n')).toMatch(
      /line 3: Target 'quay.io\/web:1' names quay.io, which is not an Azure Container Registry of this cloud/
    )
    expect(at('images:\n  - source: nginx\n    repositories: mirror/nginx:1\n')).toMatch(
      /line 3: Repository 'mirror\/nginx:1' has a tag/
    )
    expect(at('images:\n  - source: app:1\n    source-registry: dev_acr\n')).toMatch(
      /line 3: Input 'source-registry' is 'dev_acr', which is not a registry name/
    )
    expect(at('images:\n  - source: docker.io/library/nginx:1\n    source-registry: devacr\n')).toMatch(
      /line 2: Source 'docker.io\/library\/nginx:1' names the registry docker.io, but source-registry is devacr/
    )
    expect(
      at(
        `images:\n  - source: app:1\n    source-registry: ${DEV_ID}\n    credentials: { password-env: DOCKERHUB_TOKEN }\n`
      )
    ).toMatch(/line 2: A source registry given by resource ID is read with your Entra identity/)
  })

  it('two entries writing the same tag, naming both places', () => {
    const path = imagesFile('images:\n  - nginx:1.27\n  - source: redis:7\n    targets: web/nginx:1.27\n')
    expect(failure({ sourceLines: ['nginx:1.27 => web/nginx:1.27'], imagesFile: path })).toBe(
      "Target 'web/nginx:1.27' is written by both source line 1 (nginx:1.27) and images-" +
        `${files}.yaml line 3 (redis:7). Give each source its own targets.`
    )
    expect(
      at('images:\n  - source: a/x:1\n    targets: t:1\n  - source: a/y:1\n    targets: [t:1]\n')
    ).toMatch(/written by both images-\d+\.yaml line 2 \(a\/x:1\) and images-\d+\.yaml line 4 \(a\/y:1\)/)
  })

  it('image or repository inputs beside the file', () => {
    expect(failure({ imagesFile: imagesFile('images: [nginx]\n'), images: ['web:1'] })).toMatch(
      /image and repository apply only when there is one source\. With several sources, .*under targets: in the images file/
    )
  })
})

describe('tags: a repository whose matching tags are imported', () => {
  const pattern = (fields: object) => ({ prerelease: false, ...fields })

  it('reads the documented example: the source is a repository, targets are repositories', () => {
    const built = build({ imagesFile: imagesFile(tagPatternExample(), 'tag-patterns.yaml') })
    const patterns = built.entries.map((e) => ({
      source: fullReference(e.reference),
      targetTags: e.targetTags,
      tagPattern: e.tagPattern
    }))
    expect(patterns[0]).toEqual({
      source: 'docker.io/library/nginx',
      targetTags: [],
      tagPattern: {
        pattern: pattern({ semver: '>=1.27.0 <1.28.0', exclude: '-alpine$' }),
        targetRepositories: ['base/nginx']
      }
    })
    // Left out, the target repository is the source's.
    expect(patterns.some((p) => p.tagPattern?.targetRepositories[0] === 'library/node')).toBe(true)
    expect(patterns.every((p) => p.tagPattern !== undefined)).toBe(true)
  })

  it('the tags input applies to the source lines without a tag; a line with a tag is one image', () => {
    const built = build({
      sourceLines: ['docker.io/library/nginx => mirror/nginx', 'docker.io/library/redis:7 => cache/redis:7'],
      tags: pattern({ semver: '1.27.x' })
    })
    expect(built.entries.map((e) => [fullReference(e.reference), e.targetTags, e.tagPattern])).toEqual([
      [
        'docker.io/library/nginx',
        [],
        { pattern: pattern({ semver: '1.27.x' }), targetRepositories: ['mirror/nginx'] }
      ],
      ['docker.io/library/redis:7', ['cache/redis:7'], undefined]
    ])
  })

  const at = (text: string) => failure({ imagesFile: imagesFile(text) })
  const entry = (fields: string) => `images:\n  - source: docker.io/library/nginx\n${fields}`

  it.each([
    [
      'a source with a tag',
      'images:\n  - source: nginx:1.27\n    tags: { semver: 1.27.x }\n',
      /line 2: source 'nginx:1\.27' has a tag or digest, but tags chooses the tags\. Write the source as a repository \(e\.g\. nginx\)/
    ],
    [
      'a source with a digest',
      `images:\n  - source: app@sha256:${'a'.repeat(64)}\n    tags: { regex: '.*' }\n`,
      /line 2: source 'app@sha256:a+' has a tag or digest/
    ],
    [
      'a target with a tag',
      entry("    targets: mirror/nginx:1.27\n    tags: { semver: '1.27.x' }\n"),
      /line 3: Target 'mirror\/nginx:1\.27' has a tag, but with tags the targets are repositories\. Write the target repository only/
    ],
    [
      'repositories beside tags',
      entry("    repositories: [archive/nginx]\n    tags: { semver: '1.27.x' }\n"),
      /line 2: repositories do not apply with tags/
    ],
    [
      'neither semver nor regex',
      entry("    tags: { exclude: '-alpine$' }\n"),
      /line 3: a tag pattern needs semver or regex\. Give semver/
    ],
    [
      'a range node-semver cannot read, at its own line',
      entry('    tags:\n      semver: banana\n'),
      /line 4: 'banana' is not a semver range\. Write a node-semver range/
    ],
    [
      'a regex that does not compile',
      entry("    tags: { regex: '^(1' }\n"),
      /line 3: regex '\^\(1' is not a valid regular expression \(/
    ],
    [
      'newest that is not a whole number',
      entry("    tags: { semver: '*', newest: 1.5 }\n"),
      /line 3: 'newest' must be a whole number of 1 or more, not 1\.5/
    ],
    [
      'prerelease that is not a boolean',
      entry("    tags: { semver: '*', prerelease: yes }\n"),
      /line 3: 'prerelease' must be true or false, not 'yes'/
    ],
    [
      'an unknown field of tags',
      entry("    tags: { version: '1.27' }\n"),
      /line 3: unknown field 'version' in tags\. The known fields are semver, regex, exclude, newest, prerelease/
    ],
    ['tags that is not a map', entry("    tags: '1.27.x'\n"), /line 3: 'tags' must be a map/]
  ])('%s is one line', (_name, text, line) => {
    expect(at(text)).toMatch(line)
  })

  it('a semver range unquoted is the YAML mistake it is: > starts a folded block', () => {
    expect(at(entry('    tags:\n      semver: >=1.27.0\n'))).toMatch(/line \d+: /)
  })
})

describe('images-file.schema.json', () => {
  const schema = JSON.parse(readFileSync(join(repoRoot, 'images-file.schema.json'), 'utf8'))
  const validate = new Ajv({ allErrors: true }).compile(schema)

  it('accepts the documented example and refuses an unknown field', () => {
    expect(validate(parse(documentedExample()))).toBe(true)
    expect(validate(parse(tagPatternExample()))).toBe(true)
    expect(validate({ images: [{ source: 'nginx', tags: { exclude: '-alpine$' } }] })).toBe(false)
    expect(validate({ images: [{ source: 'nginx', tags: { semver: '*', newest: 0 } }] })).toBe(false)
    expect(validate({ images: [{ source: 'nginx', tag: '1' }] })).toBe(false)
    expect(validate({ images: [{ source: 'nginx', credentials: { password: 'x' } }] })).toBe(false)
  })

  it('knows exactly the fields the reader knows', () => {
    const keys = (object: { properties: object }) => Object.keys(object.properties).sort()
    expect(keys(schema)).toEqual([...FILE_FIELDS].sort())
    expect(keys(schema.properties.defaults)).toEqual([...DEFAULT_FIELDS].sort())
    expect(keys(schema.definitions.entry)).toEqual([...ENTRY_FIELDS].sort())
    expect(keys(schema.definitions.credentials.anyOf[1])).toEqual([...CREDENTIAL_FIELDS].sort())
    expect(keys(schema.definitions.tags)).toEqual([...TAG_PATTERN_FIELDS].sort())
  })
})
