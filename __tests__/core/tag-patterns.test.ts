// Tag patterns in the engine: matching (semver range, prereleases only when asked, regex against the whole tag,
// exclude, newest N), the one-line `tags` input, listing a repository's tags over the distribution API with its
// Link pagination and bearer challenge (a fake HttpSend), and what the summary counts per pattern.
import { RegistryGateway } from '../../src/core/registry/registry-gateway.js'
import { describe, expect, it } from '@jest/globals'
import { parseTagsInput, type TagPattern } from '../../src/core/request/tag-pattern.js'
import { matchTags } from '../../src/core/expand/match-tags.js'
import { patternOutcomes } from '../../src/core/results/pattern-outcome.js'
import type { PlannedImport } from '../../src/core/plan/planned-import.js'
import type { HttpResponse, HttpSend } from '../../src/core/registry/http.js'
import { listOciTags, nextPage } from '../../src/core/registry/oci-tag-lister.js'
import { UserError } from '../../src/core/errors/user-error.js'
import type { ImportResult } from '../../src/core/execute/import-result.js'
import { summaryMarkdown } from '../../src/core/results/summary.js'

/** nginx's scheme, as the test bed seeds it. */
const NGINX = [
  '1.26.0',
  '1.26.1',
  '1.26.2',
  '1.26.3',
  '1.27.0',
  '1.27.1',
  '1.27.2',
  '1.27.3',
  '1.28.0-rc.1',
  '1.26.3-alpine',
  '1.27.2-alpine',
  '1.27.3-alpine',
  '1.26',
  'stable',
  '1.27',
  'mainline',
  'latest',
  'alpine',
  '1.27-alpine',
  'mainline-alpine'
]
const pattern = (fields: Partial<TagPattern>): TagPattern => ({ prerelease: false, ...fields })

describe('matchTags', () => {
  it('a semver range keeps its releases, highest first, and no prerelease or variant', () => {
    expect(matchTags(NGINX, pattern({ semver: '>=1.27.0 <1.28.0' }))).toEqual([
      '1.27.3',
      '1.27.2',
      '1.27.1',
      '1.27.0'
    ])
  })

  it('prereleases (and -variants, which semver reads as prereleases) only when asked', () => {
    expect(matchTags(NGINX, pattern({ semver: '>=1.27.2' }))).toEqual(['1.27.3', '1.27.2'])
    expect(matchTags(NGINX, pattern({ semver: '>=1.27.2', prerelease: true }))).toEqual([
      '1.28.0-rc.1',
      '1.27.3',
      '1.27.3-alpine',
      '1.27.2'
    ])
    expect(matchTags(NGINX, pattern({ semver: '>=1.27.2', prerelease: true, exclude: '-alpine$' }))).toEqual([
      '1.28.0-rc.1',
      '1.27.3',
      '1.27.2'
    ])
  })

  it('a regex matches the whole tag; exclude leaves out what it finds', () => {
    expect(matchTags(NGINX, pattern({ regex: '1\\.27' }))).toEqual(['1.27'])
    expect(matchTags(NGINX, pattern({ regex: '1\\.27.*', exclude: '-alpine$' }))).toEqual([
      '1.27.3',
      '1.27.2',
      '1.27.1',
      '1.27.0',
      '1.27'
    ])
  })

  it('semver or regex: a range plus the aliases named by regex', () => {
    expect(matchTags(NGINX, pattern({ semver: '1.27.x', regex: '1\\.27|latest|mainline' }))).toEqual([
      '1.27.3',
      '1.27.2',
      '1.27.1',
      '1.27.0',
      '1.27',
      'latest',
      'mainline'
    ])
  })

  it('newest N keeps the N highest versions, and the aliases the regex named', () => {
    expect(matchTags(NGINX, pattern({ semver: '*', newest: 2 }))).toEqual(['1.27.3', '1.27.2'])
    expect(matchTags(NGINX, pattern({ regex: '1\\.26(\\.\\d+)?', newest: 1 }))).toEqual(['1.26.3', '1.26'])
  })

  it('nothing matched is an empty list', () => {
    expect(matchTags(NGINX, pattern({ semver: '>=2' }))).toEqual([])
  })
})

describe('the tags input', () => {
  it('reads name: value fields separated by commas; a regex may hold commas', () => {
    expect(parseTagsInput('semver: >=1.27.0 <1.28.0, exclude: -alpine$, newest: 2')).toEqual({
      semver: '>=1.27.0 <1.28.0',
      exclude: '-alpine$',
      newest: 2,
      prerelease: false
    })
    expect(parseTagsInput('regex: ^1\\.\\d{1,3}\\.\\d+$, prerelease: true')).toEqual({
      regex: '^1\\.\\d{1,3}\\.\\d+$',
      prerelease: true
    })
    expect(parseTagsInput('  ')).toBeUndefined()
  })

  const refused = (text: string): string => {
    try {
      parseTagsInput(text)
    } catch (err) {
      if (!(err instanceof UserError)) throw err
      const line = err.format()
      expect(line).not.toMatch(/[\r\n]/)
      return line
    }
    throw new Error(`'${text}' was accepted`)
  }

  it.each([
    ['exclude: -alpine$', /^Input 'tags': a tag pattern needs semver or regex\. Give semver/],
    ['semver: banana', /^Input 'tags': 'banana' is not a semver range\. Write a node-semver range/],
    ['regex: ^(1\\.27', /^Input 'tags': regex '\^\(1\\\.27' is not a valid regular expression \(/],
    ['semver: 1.x, newest: 0', /^Input 'tags': newest must be a whole number of 1 or more, not '0'/],
    ['semver: 1.x, prerelease: yes', /^Input 'tags': prerelease must be true or false, not 'yes'/],
    ['semver: 1.x, semver: 2.x', /^Input 'tags': 'semver' is given twice/],
    ['version: 1.x', /^Input 'tags': 'version: 1\.x' is not a field of a tag pattern\. .*semver, regex/],
    ['semver:', /^Input 'tags': 'semver' has no value/]
  ])('%s is refused with one line', (text, line) => {
    expect(refused(text)).toMatch(line)
  })
})

const response = (status: number, headers: Record<string, string> = {}, body = ''): HttpResponse => ({
  status,
  header: (name) => headers[name.toLowerCase()],
  body
})

/** A Docker Hub-like registry: a bearer challenge, a token service, `tags` paged by `pageSize` with Link. */
function pagedRegistry(tags: string[], pageSize: number, link: 'relative' | 'absolute' = 'relative') {
  const calls: string[] = []
  const send: HttpSend = async ({ url, headers }) => {
    calls.push(url)
    if (url.startsWith('https://auth.docker.io/token')) return response(200, {}, '{"token":"tkn"}')
    if (headers.authorization !== 'Bearer tkn') {
      return response(401, {
        'www-authenticate':
          'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"'
      })
    }
    const { pathname, searchParams } = new URL(url)
    if (pathname !== '/v2/library/nginx/tags/list')
      return response(
        404,
        {},
        '{"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known to registry"}]}'
      )
    const last = searchParams.get('last')
    const after = last ? tags.filter((t) => t > last) : tags
    const page = after.slice(0, pageSize)
    const more = page.length < after.length
    const next = `/v2/library/nginx/tags/list?n=${pageSize}&last=${encodeURIComponent(page.at(-1) ?? '')}`
    return response(
      200,
      more
        ? { link: `<${link === 'absolute' ? `https://registry-1.docker.io${next}` : next}>; rel="next"` }
        : {},
      JSON.stringify({ name: 'library/nginx', tags: page })
    )
  }
  return { send, calls }
}

describe('listOciTags', () => {
  const sorted = [...NGINX].sort()

  it('follows Link to the last page, answering the challenge once', async () => {
    const registry = pagedRegistry(sorted, 7)
    const listed = await listOciTags(
      { registry: 'docker.io', repository: 'library/nginx' },
      new RegistryGateway(registry.send)
    )
    expect(listed).toEqual({ kind: 'listed', tags: sorted })
    const pages = registry.calls.filter((url) => url.includes('/tags/list'))
    // The first page twice (before and after the challenge), then two more pages.
    expect(pages).toHaveLength(4)
    expect(pages[0]).toBe('https://registry-1.docker.io/v2/library/nginx/tags/list?n=1000')
    expect(registry.calls.filter((url) => url.startsWith('https://auth.docker.io'))).toHaveLength(1)
  })

  it('an absolute Link works too', async () => {
    const registry = pagedRegistry(sorted, 5, 'absolute')
    const listed = await listOciTags(
      { registry: 'docker.io', repository: 'library/nginx' },
      new RegistryGateway(registry.send)
    )
    expect(listed).toEqual({ kind: 'listed', tags: sorted })
  })

  it('a repository that does not exist is not-found, with the registry words', async () => {
    const registry = pagedRegistry(sorted, 5)
    expect(
      await listOciTags(
        { registry: 'docker.io', repository: 'library/nginy' },
        new RegistryGateway(registry.send)
      )
    ).toEqual({
      kind: 'not-found',
      detail: 'docker.io/library/nginy: NAME_UNKNOWN repository name not known to registry'
    })
  })

  it('a page that loops back is an error, not an endless listing', async () => {
    const send: HttpSend = async () =>
      response(200, { link: '</v2/app/tags/list?n=1000>; rel="next"' }, '{"name":"app","tags":["1"]}')
    const listed = await listOciTags(
      { registry: 'registry.contoso.com', repository: 'app' },
      new RegistryGateway(send)
    )
    expect(listed).toMatchObject({ kind: 'unlistable', reason: expect.stringContaining('Link loops') })
  })

  it('nextPage reads rel="next" among other links', () => {
    expect(
      nextPage('<https://x/a>; rel="prev", </v2/r/tags/list?last=b>; rel="next"', 'https://h/v2/r/tags/list')
    ).toBe('https://h/v2/r/tags/list?last=b')
    expect(nextPage(undefined, 'https://h/')).toBeUndefined()
  })
})

describe('the summary of tag patterns', () => {
  it('counts per pattern the tags matched, imported and unchanged; a pattern that matched nothing says so', () => {
    const nginx = {
      source: 'docker.io/library/nginx',
      origin: 'images.yaml line 3',
      matched: ['1.27.3', '1.27', '1.27.2']
    }
    const none = { source: 'docker.io/library/redis', origin: 'images.yaml line 6', matched: [] }
    const plan = (targetTags: string[], unchangedTags: string[]) =>
      ({ pattern: nginx, entry: { targetTags }, unchangedTags }) as unknown as PlannedImport
    const result = (status: ImportResult['status']) => ({ status }) as ImportResult
    const rows = patternOutcomes(
      [nginx, none],
      [plan(['nginx:1.27.3'], ['nginx:1.27']), plan(['nginx:1.27.2'], [])],
      [result('imported'), result('unchanged')]
    )
    expect(rows).toEqual([
      {
        source: nginx.source,
        origin: nginx.origin,
        matched: 3,
        imported: 1,
        unchanged: 2,
        failed: 0,
        notListed: false
      },
      {
        source: none.source,
        origin: none.origin,
        matched: 0,
        imported: 0,
        unchanged: 0,
        failed: 0,
        notListed: false
      }
    ])
    const markdown = summaryMarkdown([], { patterns: rows })
    expect(markdown).toContain('| docker.io/library/nginx (images.yaml line 3) | 3 | 1 | 2 | 0 |')
    expect(markdown).toContain('| docker.io/library/redis (images.yaml line 6) | ⚠️ no tag matched |')
  })
})
