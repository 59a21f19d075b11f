// The .vsix as the Marketplace would install it: packaged with tfx, unpacked, and its task run from inside the
// package the way the agent runs it (the Node24 or Node20_1 target of the packaged task.json).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { startTestbed, type Testbed } from '../testbed/index.js'
import { NODE_VERSIONS, removeRunFolders, repoRoot, runTask } from './agent.js'
import { federatedJob } from './e2e-world.js'

const run = promisify(execFile)
const workDir = mkdtempSync(join(tmpdir(), 'acr-import-vsix-'))
const vsix = join(workDir, 'acr-import.vsix')
const unpacked = join(workDir, 'unpacked')
let testbed: Testbed

beforeAll(async () => {
  await run(process.execPath, [join(repoRoot, 'scripts', 'package-vsix.mjs')], {
    cwd: repoRoot,
    env: { ...process.env, ACR_IMPORT_VSIX: vsix, ACR_IMPORT_PUBLISHER: 'contoso-test' }
  })
  // A .vsix is a zip; python3's zipfile unpacks it without extra tools.
  await run('python3', [
    '-c',
    'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])',
    vsix,
    unpacked
  ])
  testbed = await startTestbed()
})

afterAll(async () => {
  await testbed?.stop()
  removeRunFolders()
  rmSync(workDir, { recursive: true, force: true })
})

describe('the packaged extension', () => {
  it('carries the publisher it was packaged for and the task folder with its task.json', () => {
    const manifest = readFileSync(join(unpacked, 'extension.vsixmanifest'), 'utf8')
    expect(manifest).toMatch(/Publisher="contoso-test"/)
    expect(manifest).toMatch(/Id="acr-import"/)
    const task = JSON.parse(readFileSync(join(unpacked, 'AcrImport', 'task.json'), 'utf8'))
    expect(task.name).toBe('AcrImport')
  })

  it('is the project version, with the Marketplace overview as its details page', () => {
    const version = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version
    const manifest = readFileSync(join(unpacked, 'extension.vsixmanifest'), 'utf8')
    expect(manifest).toContain(`Version="${version}"`)
    const task = JSON.parse(readFileSync(join(unpacked, 'AcrImport', 'task.json'), 'utf8'))
    expect(`${task.version.Major}.${task.version.Minor}.${task.version.Patch}`).toBe(version)

    expect(manifest).toMatch(
      /<Asset Type="Microsoft\.VisualStudio\.Services\.Content\.Details"[^>]* Path="overview\.md"/
    )
    expect(readFileSync(join(unpacked, 'overview.md'), 'utf8')).toBe(
      readFileSync(join(repoRoot, 'overview.md'), 'utf8')
    )
    expect(manifest).toMatch(/<GalleryFlags>[^<]*\bPublic\b[^<]*<\/GalleryFlags>/)
    for (const link of ['Home', 'Support', 'Issues', 'License'])
      expect(manifest).toMatch(
        new RegExp(`Property Id="Microsoft\\.VisualStudio\\.Services\\.Links\\.${link}" Value="https://`)
      )
  })

  it.each(NODE_VERSIONS)('runs its task on $name from inside the package', async ({ name, binary }) => {
    const task = JSON.parse(readFileSync(join(unpacked, 'AcrImport', 'task.json'), 'utf8'))
    const handler = name === 'node24' ? task.execution.Node24 : task.execution.Node20_1
    const repository = `ado-vsix-${name}/servercore`
    const job = federatedJob(testbed, {
      registry: 'prodacr',
      source: 'mcr.microsoft.com/windows/servercore:ltsc2019',
      image: `${repository}:ltsc2019`
    })
    const result = await runTask(job, { node: binary, target: join(unpacked, 'AcrImport', handler.target) })

    expect({ result: result.result, message: result.resultMessage, stderr: result.stderr }).toMatchObject({
      result: 'Succeeded'
    })
    const sourceDigest = await testbed
      .backend('mcr.microsoft.com')
      .headManifest('windows/servercore', 'ltsc2019')
    expect(result.outputs.digest).toBe(sourceDigest)
    expect(await testbed.backend('prodacr.azurecr.io').headManifest(repository, 'ltsc2019')).toBe(
      sourceDigest
    )
  })
})
