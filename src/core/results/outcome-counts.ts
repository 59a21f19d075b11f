// How many imports ended in each outcome, in one order and one wording, so the summary's counts line and the
// dry run's notice can never disagree ("3 would be imported, 1 unchanged").
import type { ImportResult, ImportStatus } from '../execute/import-result.js'

const ORDER: ImportStatus[] = ['imported', 'planned', 'queued', 'unchanged', 'failed']

const WORDS: Record<ImportStatus, string> = {
  imported: 'imported',
  unchanged: 'unchanged',
  queued: 'queued',
  planned: 'would be imported',
  failed: 'failed'
}

export interface OutcomeCount {
  count: number
  /** "would be imported" */
  words: string
}

/** Each outcome that happened, with its count, in status order. */
export function outcomeCounts(results: ImportResult[]): OutcomeCount[] {
  return ORDER.map((status) => ({
    count: results.filter((r) => r.status === status).length,
    words: WORDS[status]
  })).filter(({ count }) => count > 0)
}

/** "3 would be imported, 1 unchanged"; `number` formats each count (the summary makes it bold). */
export function countsText(results: ImportResult[], number = (count: number) => String(count)): string {
  const parts = outcomeCounts(results).map(({ count, words }) => `${number(count)} ${words}`)
  return parts.length > 0 ? parts.join(', ') : 'nothing to import'
}

/** The dry run's notice, counted as its summary counts. */
export function dryRunNotice(results: ImportResult[]): string {
  return `Dry run: ${countsText(results)}; nothing was imported`
}
