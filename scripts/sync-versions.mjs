// One version for the project: package.json's `version` is the source; this writes it into task.json
// (`version.Major/Minor/Patch`), vss-extension.json (`version`) and package-lock.json (its root package, as
// `npm version` would), so the action's tag, the task and the extension
// cannot drift. Only the version is touched: the rest of each file stays byte for byte (the version object is
// replaced in the text, not re-serialised), and a file that changed is run through Prettier.
// Run by `npm run version:sync` and by `npm run package:vsix`.
//   node scripts/sync-versions.mjs            write the version where it differs
//   node scripts/sync-versions.mjs --check    write nothing; exit 1 and name the files that differ
//   --root <dir>                              another checkout (tests use a copy)
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** X.Y.Z only: task.json holds three integers, so a pre-release or build suffix has nowhere to go. */
export function parseVersion(version) {
  const match = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/.exec(String(version))
  if (!match)
    throw new Error(`package.json version '${version}' is not X.Y.Z (the task's version holds no suffix)`)
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) }
}

/** The project's version and the version each other file declares, as X.Y.Z strings. */
export function readVersions(root = repo) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  const task = JSON.parse(readFileSync(join(root, 'task.json'), 'utf8'))
  const extension = JSON.parse(readFileSync(join(root, 'vss-extension.json'), 'utf8'))
  const v = task.version ?? {}
  const versions = {
    'package.json': pkg.version,
    'task.json': `${v.Major}.${v.Minor}.${v.Patch}`,
    'vss-extension.json': extension.version
  }
  if (existsSync(join(root, 'package-lock.json'))) {
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'))
    versions['package-lock.json'] =
      lock.version === lock.packages?.['']?.version
        ? lock.version
        : `${lock.version} and ${lock.packages?.['']?.version}`
  }
  return versions
}

// The top-level "version" of task.json: an object of Major, Minor, Patch (in any order, any whitespace).
const TASK_VERSION = /^([ \t]*)"version"\s*:\s*\{[^{}]*\}/m
// The top-level "version" string of vss-extension.json (indented by the file's first level).
const EXTENSION_VERSION = /^([ \t]*)"version"\s*:\s*"[^"]*"/m

/** task.json's text with only its version object replaced; the indent of the key is kept. */
export function withTaskVersion(text, version) {
  const { major, minor, patch } = parseVersion(version)
  if (!TASK_VERSION.test(text)) throw new Error('task.json has no "version" object')
  return text.replace(TASK_VERSION, (_m, indent) => {
    const inner = `${indent}  `
    return `${indent}"version": {\n${inner}"Major": ${major},\n${inner}"Minor": ${minor},\n${inner}"Patch": ${patch}\n${indent}}`
  })
}

/** vss-extension.json's text with only its version string replaced. */
export function withExtensionVersion(text, version) {
  parseVersion(version)
  if (!EXTENSION_VERSION.test(text)) throw new Error('vss-extension.json has no top-level "version"')
  return text.replace(EXTENSION_VERSION, (_m, indent) => `${indent}"version": "${version}"`)
}

/** package-lock.json's text with the root package's version (top level and `packages[""]`) replaced. */
export function withLockVersion(text, version) {
  parseVersion(version)
  return text
    .replace(/^( {2})"version"\s*:\s*"[^"]*"/m, (_m, indent) => `${indent}"version": "${version}"`)
    .replace(
      /("packages"\s*:\s*\{\s*""\s*:\s*\{[^{}]*?"version"\s*:\s*)"[^"]*"/,
      (_m, before) => `${before}"${version}"`
    )
}

/** Writes package.json's version into the other files; returns the files it changed. */
export function syncVersions(root = repo) {
  const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version
  parseVersion(version)
  const changed = []
  for (const [file, rewrite] of [
    ['task.json', withTaskVersion],
    ['vss-extension.json', withExtensionVersion],
    ['package-lock.json', withLockVersion]
  ]) {
    const path = join(root, file)
    if (file === 'package-lock.json' && !existsSync(path)) continue
    const before = readFileSync(path, 'utf8')
    const after = rewrite(before, version)
    if (after !== before) {
      writeFileSync(path, after)
      changed.push(file)
    }
  }
  const formatted = changed.filter((file) => file !== 'package-lock.json')
  if (formatted.length > 0) {
    const prettier = join(repo, 'node_modules', 'prettier', 'bin', 'prettier.cjs')
    execFileSync(
      process.execPath,
      [
        prettier,
        '--config',
        join(repo, '.prettierrc.json'),
        '--write',
        ...formatted.map((f) => join(root, f))
      ],
      { stdio: 'ignore' }
    )
  }
  // Re-read what is on disk now: the check below is the one that counts.
  const versions = readVersions(root)
  const wrong = Object.entries(versions).filter(([, v]) => v !== version)
  if (wrong.length > 0) throw new Error(`versions still differ after the sync: ${JSON.stringify(versions)}`)
  return { version, changed }
}

/** Files whose version differs from package.json's, with what they say. */
export function mismatches(root = repo) {
  const versions = readVersions(root)
  return Object.entries(versions).filter(
    ([file, v]) => file !== 'package.json' && v !== versions['package.json']
  )
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2)
  const rootIndex = args.indexOf('--root')
  const root = rootIndex >= 0 ? resolve(args[rootIndex + 1]) : repo
  try {
    if (args.includes('--check')) {
      const versions = readVersions(root)
      parseVersion(versions['package.json'])
      const wrong = mismatches(root)
      if (wrong.length > 0) {
        for (const [file, v] of wrong)
          console.error(`${file} says ${v}, package.json says ${versions['package.json']}`)
        console.error('Run `npm run version:sync` and commit the result.')
        process.exit(1)
      }
      console.log(`Versions agree: ${versions['package.json']} (${Object.keys(versions).join(', ')})`)
    } else {
      const { version, changed } = syncVersions(root)
      console.log(
        changed.length > 0
          ? `Version ${version} written into ${changed.join(', ')}`
          : `Versions agree: ${version}`
      )
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error))
    process.exit(1)
  }
}
