// Prints the release notes of one version: the body of its section in CHANGELOG.md (Keep a Changelog:
// `## [1.2.3] - 2026-12-01`), without the heading. Exits 1 when the section is missing or empty, so a release
// cannot go out without notes. The release workflow and scripts/release-dry-run.sh both use it.
//   node scripts/release-notes.mjs [version]     default: package.json's version; a leading "v" is allowed
import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** The body of the `## [version]` section, trimmed; undefined when there is none. */
export function releaseNotes(changelog, version) {
  const lines = changelog.split(/\r?\n/)
  const escaped = version.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const heading = new RegExp(`^## \\[${escaped}\\](\\s|$)`)
  const start = lines.findIndex((line) => heading.test(line))
  if (start < 0) return undefined
  let end = lines.findIndex((line, i) => i > start && (/^## /.test(line) || /^\[[^\]]+\]:\s/.test(line)))
  if (end < 0) end = lines.length
  const body = lines
    .slice(start + 1, end)
    .join('\n')
    .trim()
  return body.length > 0 ? body : undefined
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const version = (
    process.argv[2] ?? JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version
  ).replace(/^v/, '')
  const notes = releaseNotes(readFileSync(join(root, 'CHANGELOG.md'), 'utf8'), version)
  if (!notes) {
    console.error(
      `CHANGELOG.md has no section '## [${version}]' with notes: add one before tagging v${version}.`
    )
    process.exit(1)
  }
  console.log(notes)
}
