// The npm package: `npm pack` ships the bin and its bundle, and the bin runs from the unpacked tarball with no
// dependency installed (the bundle holds them all), offline: its help, and a malformed source refused with exit 2.
// (`npx --yes ./acr-import-<version>.tgz` runs the same file after npm installed the declared dependencies.)
import { afterAll, describe, expect, test } from '@jest/globals'
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)
const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const folder = mkdtempSync(join(tmpdir(), 'cli-pack-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))

describe('the npm package', () => {
  test('npm pack ships the bin, which runs from the tarball on its own', async () => {
    const packed = await run('npm', ['pack', ROOT, '--json', '--pack-destination', folder], { cwd: folder })
    const [{ filename, files }] = JSON.parse(packed.stdout) as {
      filename: string
      files: { path: string }[]
    }[]
    const paths = files.map((file) => file.path)
    expect(paths).toEqual(
      expect.arrayContaining(['dist/cli/index.js', 'package.json', 'README.md', 'LICENSE'])
    )
    // The action's and the task's bundles are not the command line's business.
    expect(paths.filter((path) => /^dist\/(action|task)\//.test(path))).toEqual([])

    await run('tar', ['-xzf', join(folder, filename), '-C', folder])
    const unpacked = join(folder, 'package')
    const manifest = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8')) as {
      bin: Record<string, string>
    }
    const bin = join(unpacked, manifest.bin['acr-import'])
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true)
    expect(statSync(bin).mode & 0o111).not.toBe(0)

    // Run as the shell runs a bin: by its path, through its #! line.
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: folder }
    const help = await run(bin, ['--help'], { cwd: folder, env })
    expect(help.stdout).toMatch(/^Usage: acr-import --registry <acr>/)
    expect(help.stdout).toContain('--images-file <file>')
    const refused = await run(bin, ['--registry', 'prodacr', '--source', 'Nginx'], { cwd: folder, env }).then(
      () => undefined,
      (err: { code: number; stderr: string }) => err
    )
    expect(refused?.code).toBe(2)
    expect(refused?.stderr.trim()).toMatch(/^error: Malformed source reference 'Nginx'[^\n]*$/)
  }, 60_000)
})
