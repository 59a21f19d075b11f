// The job summary as a reader meets it: the counts, then what failed with its fix and where it is written, then
// the table (status first, targets relative to the registry in the heading, tag-pattern imports by their tags,
// unchanged rows folded when many), and never a 64-hex digest.
import { describe, expect, it } from '@jest/globals'
import { summaryMarkdown } from '../../../src/core/results/summary.js'
import { FOLD_ABOVE } from '../../../src/core/results/summary-table.js'
import { batchWithFailureAndPattern, digestOf, REGISTRY, rerunBatch } from './summary-batches.js'

const tableRows = (markdown: string): string[] =>
  markdown.split('\n').filter((l) => l.startsWith('| ') && !/^\| (Status|Tag pattern|---) /.test(l))

describe('the summary of a batch with a failure and a tag pattern', () => {
  const { results, options } = batchWithFailureAndPattern()
  const markdown = summaryMarkdown(results, options)

  it('names the target registry once, in the heading, and shows targets as repo:tag', () => {
    expect(markdown.split('\n')[0]).toBe(`### ACR import into ${REGISTRY}`)
    expect(markdown.split(REGISTRY)).toHaveLength(2)
    expect(markdown).toContain('→ base/dotnet/aspnet:8.0-bookworm-slim<br>→ base/dotnet/aspnet:8.0')
    expect(markdown).toContain('→ archive/app (untagged)')
  })

  it('puts the counts first, then the failure with its fix and its line in the images file, then the table', () => {
    const counts = markdown.indexOf('**3** imported, **1** unchanged, **1** failed.')
    const failure = markdown.indexOf(
      '- **ghcr.io/contoso-platform-engineering/observability/otel-collector-contrib:0.115.1** (images.yaml line 12): ' +
        "Target tag 'platform/observability/otel-collector-contrib:0.115.1' already holds another image " +
        '(sha256:090909090909). Give force: true to the entry to overwrite it, or choose another target tag'
    )
    const unmatched = markdown.indexOf('- **docker.io/library/redis** (images.yaml line 16): no tag matched')
    const table = markdown.indexOf('| Status | Image and targets |')
    expect(markdown).toContain('#### ❌ 1 of 5 failed')
    expect([counts, failure, unmatched, table].every((at) => at > 0)).toBe(true)
    expect(counts < failure && failure < unmatched && unmatched < table).toBe(true)
  })

  it('puts the status first in every row', () => {
    expect(
      tableRows(markdown)
        .slice(0, 5)
        .map((row) => row.split(' | ')[0])
    ).toEqual(['| ✅ imported', '| ⏸️ unchanged', '| ✅ imported', '| ❌ failed', '| ✅ imported'])
  })

  it("names a tag pattern's import by its tags, never by its digest", () => {
    expect(tableRows(markdown)[0]).toContain(
      '| docker.io/library/nginx:1.27.1 (+ 1.27, mainline)<br>→ mirror/library/nginx:1.27.1<br>' +
        '→ mirror/library/nginx:1.27<br>→ mirror/library/nginx:mainline |'
    )
    expect(markdown).not.toContain('nginx@sha256')
  })

  it('shows every digest short, the error text included', () => {
    expect(markdown).not.toMatch(/[0-9a-f]{13,}/)
    expect(markdown).toContain(`\`sha256:${digestOf(1).slice(7, 19)}\`<br>linux/amd64, linux/arm64`)
    expect(results[3].error).toContain(digestOf(9))
  })

  it('keeps the tag patterns counted by tag, after the table', () => {
    expect(markdown).toContain('| docker.io/library/nginx (images.yaml line 3) | 4 | 3 | 1 | 0 |')
    expect(markdown).toContain('| docker.io/library/redis (images.yaml line 16) | ⚠️ no tag matched |')
  })
})

describe('a rerun where little changed', () => {
  it(`folds the unchanged rows into <details> past ${FOLD_ABOVE} rows, what changed stays in view`, () => {
    const { results, options } = rerunBatch(FOLD_ABOVE + 2)
    const markdown = summaryMarkdown(results, options)
    const [shown, folded] = markdown.split('<details><summary>12 unchanged</summary>')
    expect(tableRows(shown)).toEqual([
      '| ✅ imported | busybox:1.36<br>→ mirror/busybox:1.36 | `sha256:070707070707`<br>linux/amd64 | 4.2 s |'
    ])
    expect(tableRows(folded)).toHaveLength(12)
    expect(folded).toMatch(/\n\n<\/details>\n$/)
  })

  it(`does not fold ${FOLD_ABOVE} rows or fewer`, () => {
    const { results, options } = rerunBatch(FOLD_ABOVE - 1)
    const markdown = summaryMarkdown(results, options)
    expect(markdown).not.toContain('<details>')
    expect(tableRows(markdown)).toHaveLength(FOLD_ABOVE)
  })
})

describe('a fan-out refresh where one base image moved', () => {
  const NORTH = 'prodneu.azurecr.io'
  const moved = (registry: string) => ({
    source: 'docker.io/library/nginx:1.27',
    targets: [`${registry}/base/nginx:1.27`],
    digest: digestOf(2),
    platforms: [],
    status: 'imported' as const,
    durationMs: 900,
    changed: [{ target: `${registry}/base/nginx:1.27`, digest: digestOf(2), previous: digestOf(1) }]
  })
  const results = [
    moved(REGISTRY),
    moved(NORTH),
    {
      source: 'docker.io/library/redis:7.4',
      targets: [`${REGISTRY}/base/redis:7.4`],
      digest: digestOf(3),
      platforms: [],
      status: 'unchanged' as const,
      durationMs: 100
    }
  ]
  const markdown = summaryMarkdown(results, { registry: REGISTRY })

  it("names every target registry in the heading, the step's first", () => {
    expect(markdown.split('\n')[0]).toBe(`### ACR import into ${REGISTRY}, ${NORTH}`)
  })

  it('opens with the tags that changed, each with its new and previous digest, before the counts', () => {
    const changes = [
      '**2 tags changed:**',
      '',
      `- \`${REGISTRY}/base/nginx:1.27\` → \`${digestOf(2).slice(0, 19)}\` (was \`${digestOf(1).slice(0, 19)}\`)`,
      `- \`${NORTH}/base/nginx:1.27\` → \`${digestOf(2).slice(0, 19)}\` (was \`${digestOf(1).slice(0, 19)}\`)`
    ].join('\n')
    expect(markdown).toContain(changes)
    expect(markdown.indexOf(changes)).toBeLessThan(markdown.indexOf('**2** imported, **1** unchanged.'))
  })

  it('says nothing about changes when nothing changed', () => {
    expect(summaryMarkdown([results[2]], { registry: REGISTRY })).not.toMatch(/changed:/)
  })
})
