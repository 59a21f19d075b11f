// The summary laid out by Chromium as GitHub lays out a job summary, in the 872 px column of a 1366 px laptop
// window: nothing may scroll sideways, neither the column nor a table inside it (folded rows unfolded).
// Set SUMMARY_SCREENSHOTS=<folder> to also write each summary's screenshot there (docs/summaries holds them).
// Skips, saying so, where Chromium is not installed.
import { describe, expect, it } from '@jest/globals'
import { join } from 'node:path'
import { summaryMarkdown } from '../../../src/core/results/summary.js'
import { dumpDom, findChromium, screenshot } from './chromium.js'
import { CONTENT_WIDTH_PX, summaryPage } from './render-summary.js'
import { batchWithFailureAndPattern, dryRunBatch, rerunBatch, signedBatch } from './summary-batches.js'

const chromium = findChromium()
const SUMMARIES = [
  { name: 'failure-and-tag-pattern', batch: batchWithFailureAndPattern(), height: 1000 },
  { name: 'rerun-13-images', batch: rerunBatch(12), height: 420 },
  { name: 'dry-run-tag-pattern', batch: dryRunBatch(), height: 560 },
  { name: 'signature-policies', batch: signedBatch(), height: 900 }
]

interface Measured {
  column: number
  widest: number
  overflowing: string[]
}

const suite = chromium ? describe : describe.skip
const title = `the summary in an ${CONTENT_WIDTH_PX} px column, rendered by Chromium${
  chromium ? '' : ' (skipped: no Chromium found; apt-get install chromium, or set CHROMIUM to its path)'
}`

suite(title, () => {
  it.each(SUMMARIES)(
    '$name: no sideways scroll',
    async ({ name, batch, height }) => {
      const markdown = summaryMarkdown(batch.results, batch.options)
      const dom = await dumpDom(chromium!, summaryPage(markdown, { measure: true }))
      const measured = JSON.parse(
        (/<pre id="measure">(.*?)<\/pre>/s.exec(dom)?.[1] ?? 'null')
          .replace(/&gt;/g, '>')
          .replace(/&amp;/g, '&')
      ) as Measured
      expect(measured.column).toBe(CONTENT_WIDTH_PX)
      expect(measured.overflowing).toEqual([])
      expect(measured.widest).toBeLessThanOrEqual(CONTENT_WIDTH_PX)
      const folder = process.env.SUMMARY_SCREENSHOTS
      if (folder)
        await screenshot(
          chromium!,
          summaryPage(markdown, { measure: false }),
          join(folder, `${name}.png`),
          height
        )
    },
    60_000
  )

  it('notices a table that does not fit (the measure catches what it is for)', async () => {
    const markdown = ['| A | B |', '| --- | --- |', `| ${'x'.repeat(300)} | y |`].join('\n')
    const dom = await dumpDom(chromium!, summaryPage(markdown, { measure: true }))
    expect(dom).toMatch(/"overflowing":\["TABLE \d+ &gt; 872/)
  }, 60_000)
})
