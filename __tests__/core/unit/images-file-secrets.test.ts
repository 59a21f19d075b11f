// The passwords an images file names by environment variable (`password-env`) are secrets the host never saw as
// inputs: the entries stage hands them back (`secrets`) and the step registers each with the host's masker
// before anything is printed. Pinned at both levels: what buildEntries returns, and what runStep registers,
// in-process with a recording host whose sign-in is refused before any request (a client ID that is not a GUID).
import { afterAll, afterEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseRegistryInput } from '../../../src/core/arm/registry-input.js'
import { buildEntries } from '../../../src/core/entries/build-entries.js'
import { runStep } from '../../../src/core/step/run-step.js'
import { recordingHost } from '../fake-host.js'
import { stepRequest } from '../step-request.js'

const dir = mkdtempSync(join(tmpdir(), 'images-file-secrets-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const ENV = {
  UNIT_DEFAULT_USER: 'contosobot',
  UNIT_DEFAULT_TOKEN: 'dckr_pat_default-token-from-env',
  UNIT_OWN_PASSWORD: 'own-password-from-the-environment'
}

/** Two entries on the defaults' credentials, one with its own, one anonymous. */
const FILE = [
  'defaults:',
  '  credentials: { username-env: UNIT_DEFAULT_USER, password-env: UNIT_DEFAULT_TOKEN }',
  'images:',
  '  - docker.io/library/redis:7',
  '  - docker.io/library/busybox:1.36',
  '  - source: registry.contoso.com/team/service:2.3.1',
  '    credentials: { username: ci-puller, password-env: UNIT_OWN_PASSWORD }',
  '  - source: mcr.microsoft.com/dotnet/runtime:8.0',
  '    credentials: none',
  ''
].join('\n')

const imagesFile = (): string => {
  const path = join(dir, 'images.yaml')
  writeFileSync(path, FILE)
  return path
}

describe("an images file's passwords", () => {
  it('are returned by buildEntries as the secrets to register, each once; a username read from a variable too', () => {
    const context = {
      target: parseRegistryInput('prodacr', 'target', '.azurecr.io'),
      acrLoginSuffix: '.azurecr.io'
    }
    const built = buildEntries(stepRequest({ imagesFile: imagesFile() }), context, ENV)
    expect(built.secrets).toEqual([ENV.UNIT_DEFAULT_TOKEN, ENV.UNIT_DEFAULT_USER, ENV.UNIT_OWN_PASSWORD])
    expect(built.entries.map((e) => e.credentials?.password)).toEqual([
      ENV.UNIT_DEFAULT_TOKEN,
      ENV.UNIT_DEFAULT_TOKEN,
      ENV.UNIT_OWN_PASSWORD,
      undefined
    ])
  })

  describe('in a step', () => {
    afterEach(() => {
      for (const name of Object.keys(ENV)) delete process.env[name]
    })

    it('are registered with the host before anything is printed, and never printed', async () => {
      Object.assign(process.env, ENV)
      const secretsBeforeFirstLine: string[][] = []
      const host = recordingHost({ registry: 'prodacr', 'images-file': imagesFile() }, () => ({
        signIn: {
          kind: 'client-secret',
          tenantId: 'contoso',
          clientId: 'my-app',
          clientSecret: 'app-secret-value'
        },
        reason: 'test sign-in'
      }))
      for (const level of ['info', 'notice', 'warning', 'debug'] as const) {
        const print = host[level]
        host[level] = (line) => {
          if (host.lines.length === 0) secretsBeforeFirstLine.push([...host.secrets])
          print(line)
        }
      }
      await runStep(host)
      // The step ends before any request: the client ID is refused once the entries are read.
      expect(host.ending).toEqual([
        expect.stringMatching(
          /^failed The client ID 'my-app' is not a GUID\. Use the application \(client\) ID/
        )
      ])
      expect(secretsBeforeFirstLine[0]).toEqual(
        expect.arrayContaining([ENV.UNIT_DEFAULT_TOKEN, ENV.UNIT_OWN_PASSWORD])
      )
      const printed = [...host.lines, ...host.ending].join('\n')
      expect(printed).not.toContain(ENV.UNIT_DEFAULT_TOKEN)
      expect(printed).not.toContain(ENV.UNIT_OWN_PASSWORD)
    })
  })
})
