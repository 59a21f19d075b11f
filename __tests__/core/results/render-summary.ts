// The summary's Markdown as GitHub renders a job summary, for a real browser to lay out: the Markdown subset the
// summary uses (headings, paragraphs, lists, tables, <details>, bold, code spans, <br>), turned into HTML, in a
// page with GitHub's markdown styles that decide widths (its tables are `display: block; width: max-content;
// max-width: 100%; overflow: auto`, so a table wider than the column scrolls sideways inside itself), in a
// content column of GitHub's width on a 1366 px laptop window (872 px).

export const CONTENT_WIDTH_PX = 872

/** The summary's Markdown as HTML (the subset it writes; anything else would show as text and fail a test). */
export function markdownToHtml(markdown: string): string {
  const html: string[] = []
  const lines = markdown.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    if (line.trim() === '') continue
    const heading = /^(#{1,6}) (.*)$/.exec(line)
    if (heading) html.push(`<h${heading[1].length}>${inline(heading[2])}</h${heading[1].length}>`)
    else if (/^<\/?details>|^<details>/.test(line))
      html.push(line.replace(/<summary>(.*)<\/summary>/, '<summary>$1</summary>'))
    else if (line.startsWith('| ')) {
      const rows: string[][] = []
      for (; i < lines.length && lines[i].startsWith('|'); i++) rows.push(cells(lines[i]))
      i--
      const [head, , ...body] = rows
      html.push(
        '<table><thead><tr>',
        ...head.map((c) => `<th>${inline(c)}</th>`),
        '</tr></thead><tbody>',
        ...body.map((row) => `<tr>${row.map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`),
        '</tbody></table>'
      )
    } else if (line.startsWith('- ')) {
      html.push('<ul>')
      for (; i < lines.length && lines[i].startsWith('- '); i++)
        html.push(`<li>${inline(lines[i].slice(2))}</li>`)
      i--
      html.push('</ul>')
    } else html.push(`<p>${inline(line)}</p>`)
  }
  return html.join('\n')
}

/** A table row's cells: split on pipes that are not escaped. */
function cells(row: string): string[] {
  return row
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((c) => c.trim().replace(/\\\|/g, '|'))
}

/** Bold and code spans; the summary already escaped < and >, and its <br> and <details> are HTML as written. */
function inline(text: string): string {
  return text.replace(/`([^`]+)`/g, '<code>$1</code>').replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
}

/** A page that lays the summary out in GitHub's column and writes what it measured into #measure. */
export function summaryPage(markdown: string, { measure }: { measure: boolean }): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><style>
body { margin: 0; padding: 24px; background: #fff; }
.markdown-body { width: ${CONTENT_WIDTH_PX}px; font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans",
  Helvetica, Arial, sans-serif; font-size: 14px; line-height: 1.5; word-wrap: break-word; color: #1f2328; }
.markdown-body h3 { font-size: 1.25em; font-weight: 600; margin: 24px 0 16px; }
.markdown-body h4 { font-size: 1em; font-weight: 600; margin: 24px 0 16px; }
.markdown-body p, .markdown-body ul, .markdown-body table, .markdown-body details { margin: 0 0 16px; }
.markdown-body ul { padding-left: 2em; }
.markdown-body table { display: block; width: max-content; max-width: 100%; overflow: auto; border-spacing: 0;
  border-collapse: collapse; font-variant: tabular-nums; }
.markdown-body th, .markdown-body td { padding: 6px 13px; border: 1px solid #d1d9e0; }
.markdown-body th { font-weight: 600; }
.markdown-body tr:nth-child(2n) { background-color: #f6f8fa; }
.markdown-body code { padding: .2em .4em; margin: 0; font-size: 85%; white-space: break-spaces;
  background-color: #eff1f3; border-radius: 6px;
  font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; }
</style></head><body>
<div class="markdown-body" id="summary">
${markdownToHtml(markdown)}
</div>
${
  measure
    ? `<pre id="measure"></pre>
<script>
  for (const details of document.querySelectorAll('details')) details.open = true
  const column = document.getElementById('summary')
  const boxes = [column, ...column.querySelectorAll('table, p, li, h3, h4')]
  const wide = boxes.filter((box) => box.scrollWidth > box.clientWidth)
  document.getElementById('measure').textContent = JSON.stringify({
    column: column.clientWidth,
    widest: Math.max(...boxes.map((box) => box.scrollWidth)),
    overflowing: wide.map((box) => box.tagName + ' ' + box.scrollWidth + ' > ' + box.clientWidth + ': ' + box.textContent.slice(0, 80))
  })
</script>`
    : ''
}
</body></html>
`
}
