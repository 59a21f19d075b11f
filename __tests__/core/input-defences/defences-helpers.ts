// What the input-defence tests share: a temp folder of images files, the entries stage run on one of them, and
// the one line a UserError ends the step with.
import { afterAll, expect } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseRegistryInput } from '../../../src/core/arm/registry-input.js'
import { buildEntries, type BuiltEntries } from '../../../src/core/entries/build-entries.js'
import type { Environment } from '../../../src/core/entries/credentials-by-name.js'
import { UserError } from '../../../src/core/errors/user-error.js'
import type { StepRequest } from '../../../src/core/request/step-request.js'
import { stepRequest } from '../step-request.js'

const SUFFIX = '.azurecr.io'

/** A temp folder removed after the file's tests; `file(text)` writes an images file in it. */
export function imagesFiles(): { dir: string; file(text: string | Buffer): string } {
  const dir = mkdtempSync(join(tmpdir(), 'input-defences-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  let count = 0
  return {
    dir,
    file(text) {
      const path = join(dir, `images-${++count}.yaml`)
      writeFileSync(path, text)
      return path
    }
  }
}

/** The entries stage on `request` (target prodacr), reading `env` for the file's credentials. */
export function build(request: Partial<StepRequest>, env: Environment = {}): BuiltEntries {
  const context = {
    target: parseRegistryInput('prodacr', 'target', SUFFIX),
    sourceRegistry: request.sourceRegistry
      ? parseRegistryInput(request.sourceRegistry, 'source', SUFFIX)
      : undefined,
    acrLoginSuffix: SUFFIX
  }
  return buildEntries(stepRequest(request), context, env)
}

/** The one line `run` is refused with: a UserError with a hint, no line break. */
export function refusal(run: () => unknown): string {
  let thrown: unknown
  try {
    run()
  } catch (err) {
    thrown = err
  }
  if (!(thrown instanceof UserError)) throw new Error(`expected a UserError, got ${String(thrown)}`)
  const line = thrown.format()
  expect(line).not.toMatch(/[\r\n]/)
  expect(thrown.hint).toBeTruthy()
  return line
}
