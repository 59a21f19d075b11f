// action.yml is the action's public interface: it must validate, and it must declare exactly the inputs the
// code reads and the outputs it sets (a typo in either would silently drop a user's setting or an output).
import { describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { ENGINE_OUTPUTS, engineInputNames } from '../core/engine-inputs.js'
import { ACTION_YML, readActionManifest } from './action-manifest.js'

const VALIDATOR = fileURLToPath(new URL('../../node_modules/@action-validator/cli/cli.mjs', import.meta.url))
const source = (file: string): string =>
  readFileSync(new URL(`../../src/action/${file}`, import.meta.url), 'utf8')

async function validate(path: string): Promise<{ ok: boolean; errors: { path: string; code: string }[] }> {
  try {
    await promisify(execFile)(process.execPath, [VALIDATOR, path])
    return { ok: true, errors: [] }
  } catch (err) {
    const stderr = (err as { stderr: string }).stderr
    const report = JSON.parse(stderr.slice(stderr.indexOf('{'))) as {
      errors: { path: string; code: string }[]
    }
    return { ok: false, errors: report.errors }
  }
}

describe('action.yml', () => {
  it('runs the ncc bundle on node24', () => {
    expect(readActionManifest().runs).toEqual({ using: 'node24', main: 'dist/action/index.js' })
  })

  it('passes @action-validator/cli (whose schema predates node24: only `runs.using` may be flagged)', async () => {
    // action-validator 0.6.0 (the latest) embeds a schema whose runs.using enum ends at node20. Validate the
    // file with everything else unchanged, then make sure the real file differs from valid in that one spot only.
    const dir = mkdtempSync(join(tmpdir(), 'action-yml-'))
    try {
      const asNode20 = join(dir, 'action.yml')
      writeFileSync(asNode20, readFileSync(ACTION_YML, 'utf8').replace(/using: node24/, 'using: node20'))
      expect(await validate(asNode20)).toEqual({ ok: true, errors: [] })
      const real = await validate(ACTION_YML)
      expect(real.errors.map((e) => e.path)).toEqual(real.ok ? [] : ['/runs'])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('declares exactly the inputs the engine and the action read', () => {
    const signInInputs = [
      ...source('inputs.ts').matchAll(/(?:getInput|optionalInput|secretInput)\('([a-z-]+)'/g)
    ]
    const read = new Set([...engineInputNames(), ...signInInputs.map((m) => m[1])])
    expect([...read].sort()).toEqual(Object.keys(readActionManifest().inputs).sort())
  })

  it('declares exactly the outputs the engine sets', () => {
    expect([...ENGINE_OUTPUTS].sort()).toEqual(Object.keys(readActionManifest().outputs).sort())
  })
})
