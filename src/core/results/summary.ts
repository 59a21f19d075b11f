// The job summary: one table row per import, then the failures in full.
import type { ImportResult } from './import-result.js'

/** Markdown table (source, targets, digest, platforms, status, duration) plus one line per failure. */
export function summaryMarkdown(results: ImportResult[], options: { dryRun?: boolean } = {}): string {
  const lines = [
    options.dryRun ? '### ACR import plan (dry run: nothing was imported)' : '### ACR import',
    '',
    '| Source | Targets | Digest | Platforms | Status | Duration |',
    '| --- | --- | --- | --- | --- | --- |',
    ...results.map(
      (r) =>
        `| ${cell(r.source)} | ${r.targets.map(cell).join('<br>')} | ${r.digest ? `\`${shortDigest(r.digest)}\`` : '–'} | ` +
        `${r.platforms.length ? r.platforms.map(cell).join(', ') : '–'} | ${statusLabel(r.status)} | ${seconds(r.durationMs)} |`
    )
  ]
  const failures = results.filter((r) => r.status === 'failed')
  if (failures.length > 0) {
    lines.push('', `**${failures.length} of ${results.length} failed:**`, '')
    for (const failure of failures)
      lines.push(`- ${cell(failure.source)}: ${cell(failure.error ?? 'failed')}`)
  }
  return `${lines.join('\n')}\n`
}

/** sha256: and the first 12 hex characters, as registries' UIs show them. */
export function shortDigest(digest: string): string {
  return digest.replace(/^(sha256:[0-9a-f]{12})[0-9a-f]*$/, '$1')
}

function statusLabel(status: ImportResult['status']): string {
  return {
    imported: '✅ imported',
    unchanged: '⏸️ unchanged',
    queued: '⏳ queued',
    planned: '📝 planned',
    failed: '❌ failed'
  }[status]
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`
}

/** Table cells: no pipes or newlines, no HTML from remote text. */
function cell(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
}
