// Chromium, headless, for the summary's rendering test: lays out a page as the browser a reader uses does.
// The test skips with a message where no Chromium is installed (`apt-get install chromium`).
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']

/** The Chromium binary (CHROMIUM overrides), or undefined when there is none. */
export function findChromium(): string | undefined {
  return [process.env.CHROMIUM, ...CANDIDATES].find((path): path is string => !!path && existsSync(path))
}

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--window-size=1366,2400']

async function pageFile(html: string): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'summary-render-')), 'summary.html')
  await writeFile(file, html)
  return file
}

/** The page's DOM after its scripts ran. */
export async function dumpDom(chromium: string, html: string): Promise<string> {
  const file = await pageFile(html)
  const { stdout } = await promisify(execFile)(chromium, [...FLAGS, '--dump-dom', `file://${file}`], {
    maxBuffer: 16 * 1024 * 1024
  })
  return stdout
}

/** A PNG of the page, `height` px tall. */
export async function screenshot(chromium: string, html: string, png: string, height: number): Promise<void> {
  const file = await pageFile(html)
  const flags = FLAGS.map((f) => (f.startsWith('--window-size') ? `--window-size=920,${height}` : f))
  await promisify(execFile)(chromium, [...flags, `--screenshot=${png}`, `file://${file}`])
}
