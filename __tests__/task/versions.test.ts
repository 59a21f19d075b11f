// One version for the project: package.json's version is the action's release tag (vX.Y.Z, moved major tag vX),
// the task's version (AcrImport@X) and the extension's; scripts/sync-versions.mjs writes it into the other two.
// These tests keep them from drifting, check the sync touches nothing but the version, and check the release
// inputs the release workflow relies on (a CHANGELOG section for the version, the Marketplace listing).
import { describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { parse } from 'yaml'

const run = promisify(execFile)
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const read = (root: string, file: string): string => readFileSync(join(root, file), 'utf8')
const json = (root: string, file: string) => JSON.parse(read(root, file))

interface Versions {
  package: string
  task: string
  extension: string
}
const versionsIn = (root: string): Versions => {
  const task = json(root, 'task.json').version
  return {
    package: json(root, 'package.json').version,
    task: `${task.Major}.${task.Minor}.${task.Patch}`,
    extension: json(root, 'vss-extension.json').version
  }
}

/** Runs a script of scripts/ with node; resolves with its exit code and output, whatever the code. */
const script = async (name: string, ...args: string[]) => {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(repoRoot, 'scripts', name), ...args])
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

/** A copy of the three versioned files, for the sync to write into. */
const copyOfVersionedFiles = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'acr-import-versions-'))
  for (const file of ['package.json', 'task.json', 'vss-extension.json'])
    cpSync(join(repoRoot, file), join(dir, file))
  return dir
}

describe('the project version', () => {
  it('is X.Y.Z in package.json, and task.json, vss-extension.json and package-lock.json say the same', () => {
    const versions = versionsIn(repoRoot)
    expect(versions.package).toMatch(/^\d+\.\d+\.\d+$/)
    expect(versions).toEqual({
      package: versions.package,
      task: versions.package,
      extension: versions.package
    })
    const lock = json(repoRoot, 'package-lock.json')
    expect([lock.version, lock.packages[''].version]).toEqual([versions.package, versions.package])
  })

  it('passes the check the release runs', async () => {
    const result = await script('sync-versions.mjs', '--check')
    expect(result).toMatchObject({ code: 0 })
    expect(result.stdout).toContain(`Versions agree: ${versionsIn(repoRoot).package}`)
  })

  it('has release notes in CHANGELOG.md, and an [Unreleased] section for what comes next', async () => {
    const notes = await script('release-notes.mjs')
    expect(notes.code).toBe(0)
    expect(notes.stdout.trim().length).toBeGreaterThan(0)
    expect(notes.stdout).not.toMatch(/^## /m)
    expect(read(repoRoot, 'CHANGELOG.md')).toMatch(/^## \[Unreleased\]$/m)
  })
})

describe('sync-versions', () => {
  it('writes package.json version into task.json and vss-extension.json and changes nothing else', async () => {
    const dir = copyOfVersionedFiles()
    try {
      const pkg = json(dir, 'package.json')
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...pkg, version: '2.13.4' }, null, 2) + '\n')
      const before = { task: read(dir, 'task.json'), extension: read(dir, 'vss-extension.json') }

      const result = await script('sync-versions.mjs', '--root', dir)

      expect(result).toMatchObject({ code: 0 })
      expect(result.stdout).toContain('Version 2.13.4 written into task.json, vss-extension.json')
      expect(versionsIn(dir)).toEqual({ package: '2.13.4', task: '2.13.4', extension: '2.13.4' })
      expect(json(dir, 'task.json').version).toEqual({ Major: 2, Minor: 13, Patch: 4 })
      // Every other line is as it was: only the version lines differ.
      const changedLines = (a: string, b: string) => {
        const left = a.split('\n')
        const right = b.split('\n')
        expect(right).toHaveLength(left.length)
        return right.filter((line, i) => line !== left[i])
      }
      expect(changedLines(before.task, read(dir, 'task.json'))).toEqual([
        expect.stringMatching(/^\s+"Major": 2,$/),
        expect.stringMatching(/^\s+"Minor": 13,$/),
        expect.stringMatching(/^\s+"Patch": 4$/)
      ])
      expect(changedLines(before.extension, read(dir, 'vss-extension.json'))).toEqual([
        '  "version": "2.13.4",'
      ])

      // A second run has nothing to do.
      expect((await script('sync-versions.mjs', '--root', dir)).stdout).toContain('Versions agree: 2.13.4')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('--check names each file that drifted and writes nothing', async () => {
    const dir = copyOfVersionedFiles()
    try {
      const extension = json(dir, 'vss-extension.json')
      const drifted = { ...extension, version: '0.9.0' }
      writeFileSync(join(dir, 'vss-extension.json'), JSON.stringify(drifted, null, 2) + '\n')

      const result = await script('sync-versions.mjs', '--check', '--root', dir)

      expect(result.code).toBe(1)
      expect(result.stderr).toContain(
        `vss-extension.json says 0.9.0, package.json says ${versionsIn(repoRoot).package}`
      )
      expect(result.stderr).not.toContain('task.json says')
      expect(json(dir, 'vss-extension.json').version).toBe('0.9.0')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('refuses a version the task cannot hold (a pre-release suffix)', async () => {
    const dir = copyOfVersionedFiles()
    try {
      const pkg = json(dir, 'package.json')
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...pkg, version: '2.0.0-rc.1' }, null, 2))
      const task = read(dir, 'task.json')

      const result = await script('sync-versions.mjs', '--root', dir)

      expect(result.code).toBe(1)
      expect(result.stderr).toContain("package.json version '2.0.0-rc.1' is not X.Y.Z")
      expect(read(dir, 'task.json')).toBe(task)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('release-notes', () => {
  it('prints the body of the version section and fails for a version without one', async () => {
    const version = versionsIn(repoRoot).package
    const withV = await script('release-notes.mjs', `v${version}`)
    expect(withV).toMatchObject({ code: 0 })
    expect(withV.stdout).not.toContain('[Unreleased]')
    const missing = await script('release-notes.mjs', '99.0.0')
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain("CHANGELOG.md has no section '## [99.0.0]'")
  })
})

describe('the Marketplace listings', () => {
  it('action.yml: a description that fits the GitHub Marketplace (125 characters) and branding', () => {
    const action = parse(read(repoRoot, 'action.yml')) as {
      description: string
      branding?: { icon?: string; color?: string }
    }
    expect(action.description.length).toBeLessThanOrEqual(125)
    expect(action.branding).toEqual({ icon: expect.any(String), color: expect.any(String) })
  })

  it('vss-extension.json: an overview that is packaged, the repository and the links', () => {
    const manifest = json(repoRoot, 'vss-extension.json')
    expect(manifest.content.details.path).toBe('overview.md')
    expect(manifest.files.map((f: { path: string }) => f.path)).toContain('overview.md')
    expect(read(repoRoot, 'overview.md')).toContain('task: AcrImport@1')
    expect(manifest.repository).toEqual({
      type: 'git',
      uri: expect.stringMatching(/^https:\/\/github\.com\//)
    })
    expect(Object.keys(manifest.links)).toEqual(
      expect.arrayContaining(['home', 'support', 'issues', 'license'])
    )
    expect(manifest.galleryFlags).toContain('Public')
  })
})

describe('the release workflow', () => {
  const workflow = parse(read(repoRoot, '.github/workflows/release.yml')) as {
    on: { push: { tags: string[] } }
    permissions: Record<string, string>
    jobs: Record<string, { steps: { run?: string }[] }>
  }
  const runs = Object.values(workflow.jobs)
    .flatMap((job) => job.steps)
    .map((step) => step.run ?? '')
    .join('\n')

  it('runs on a pushed vX.Y.Z tag, may write contents, and checks before it releases', () => {
    expect(workflow.on.push.tags).toEqual(['v[0-9]+.[0-9]+.[0-9]+'])
    expect(workflow.permissions).toEqual({ contents: 'write' })
    expect(runs).toContain('sync-versions.mjs --check')
    expect(runs).toContain('release-notes.mjs')
    expect(runs).toContain('git diff --exit-code')
    expect(runs).toContain('gh release create')
    expect(runs).toMatch(/git push -f origin/)
  })
})
