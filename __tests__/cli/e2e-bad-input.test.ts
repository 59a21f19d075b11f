// Every malformed input, run through the built command line: exit 2, exactly one line on stderr that says what is
// wrong and how to fix it, nothing on stdout, no stack trace, and not one request (the only way out is a proxy
// that counts and drops whatever reaches it). The engine's table is the one both other hosts run, its inputs
// given as the flags of the same names; then the command line's own mistakes (flags, the sign-in environment).
import { describe, expect, test } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ENGINE_CASES, type BadInputCase } from '../bad-input/engine-cases.js'
import { useBadInputWorld } from '../bad-input/use-bad-input-world.js'
import { APPS, SUB_PROD, TENANT_A } from '../testbed/world.js'
import { expectExit, runCli, showsStackTrace } from './run-cli.js'

const world = useBadInputWorld()
const folder = mkdtempSync(join(tmpdir(), 'cli-bad-input-'))

const VALID_FLAGS = { registry: 'prodacr', source: 'docker.io/library/nginx:1.27' }
const SECRET_SIGN_IN = {
  AZURE_TENANT_ID: TENANT_A,
  AZURE_CLIENT_ID: APPS.github.appId,
  AZURE_CLIENT_SECRET: 'a-client-secret-for-bad-input-tests',
  AZURE_SUBSCRIPTION_ID: SUB_PROD
}

/**
 * A command line's own case: flags after the valid ones, the environment instead of the secret sign-in, and
 * variables made when the case runs. `line` is matched without the `error: ` every failure line starts with.
 */
type CliCase = BadInputCase & {
  args?: string[]
  env?: Record<string, string>
  build?: () => Record<string, string>
}

/** An engine case's inputs as flags; the password goes through a variable that --password-env names. */
function argsOf(inputs: Record<string, string>): { args: string[]; env: Record<string, string> } {
  const args: string[] = []
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries({ ...VALID_FLAGS, ...inputs })) {
    if (!value) continue
    if (name === 'password') {
      env.SOURCE_PASSWORD = value
      args.push('--password-env', 'SOURCE_PASSWORD')
    } else args.push(`--${name}`, value)
  }
  return { args, env }
}

const tokenFile = (): string => {
  const path = join(folder, 'empty-token')
  writeFileSync(path, '')
  return path
}

const CLI_CASES: CliCase[] = [
  {
    name: 'an unknown flag',
    inputs: {},
    args: ['--sorce', 'nginx'],
    line: /^unknown option '--sorce'/
  },
  { name: 'a stray argument', inputs: {}, args: ['nginx'], line: /^too many arguments/ },
  {
    name: 'a flag without its value',
    inputs: {},
    args: ['--registry'],
    line: /^option '--registry <acr>' argument missing/
  },
  {
    name: '--auth password',
    inputs: {},
    args: ['--auth', 'password'],
    line: /^--auth cannot be 'password'\. Use one of auto, client-secret, client-certificate, oidc, managed-identity, azure-cli\.$/
  },
  {
    name: 'a client secret without its tenant',
    inputs: {},
    env: { ...SECRET_SIGN_IN, AZURE_TENANT_ID: '' },
    line: /^AZURE_TENANT_ID \(or --tenant-id\) is not set for --auth client-secret\. Export AZURE_TENANT_ID\.$/
  },
  {
    name: '--auth oidc without a token file',
    inputs: {},
    args: ['--auth', 'oidc'],
    line: /^AZURE_FEDERATED_TOKEN_FILE is not set for --auth oidc/
  },
  {
    name: 'a token file that does not exist',
    inputs: {},
    env: { ...SECRET_SIGN_IN, AZURE_CLIENT_SECRET: '', AZURE_FEDERATED_TOKEN_FILE: '/nowhere/token' },
    line: /^The federated token file \/nowhere\/token \(AZURE_FEDERATED_TOKEN_FILE\) does not exist/
  },
  {
    name: 'an empty token file',
    inputs: {},
    build: () => ({ AZURE_FEDERATED_TOKEN_FILE: tokenFile() }),
    env: { ...SECRET_SIGN_IN, AZURE_CLIENT_SECRET: '' },
    line: /^The federated token file .*empty-token \(AZURE_FEDERATED_TOKEN_FILE\) is empty/
  },
  {
    name: 'a certificate file that does not exist',
    inputs: {},
    env: { ...SECRET_SIGN_IN, AZURE_CLIENT_SECRET: '', AZURE_CLIENT_CERTIFICATE_PATH: '/nowhere/app.pem' },
    line: /^The certificate file \/nowhere\/app\.pem \(AZURE_CLIENT_CERTIFICATE_PATH\) cannot be read/
  },
  {
    name: 'a certificate with a password',
    inputs: {},
    env: {
      ...SECRET_SIGN_IN,
      AZURE_CLIENT_SECRET: '',
      AZURE_CLIENT_CERTIFICATE_PATH: '/nowhere/app.pfx',
      AZURE_CLIENT_CERTIFICATE_PASSWORD: 'pfx-password'
    },
    line: /^A certificate with a password \(AZURE_CLIENT_CERTIFICATE_PASSWORD\) cannot be used/
  },
  {
    name: 'a client ID that is not a GUID',
    inputs: {},
    args: ['--client-id', 'my-app'],
    line: /^The client ID 'my-app' is not a GUID/
  },
  {
    name: 'a subscription name for its ID',
    inputs: {},
    env: { ...SECRET_SIGN_IN, AZURE_SUBSCRIPTION_ID: 'Production' },
    line: /^The subscription ID 'Production' is not a GUID/
  },
  {
    name: '--password-env naming a variable that is not set',
    inputs: {},
    args: ['--username', 'bot', '--password-env', 'NOT_SET_ANYWHERE'],
    line: /^The environment variable NOT_SET_ANYWHERE \(--password-env\) is not set/
  }
]

describe('malformed input never reaches the network (command line)', () => {
  const cases: CliCase[] = [...ENGINE_CASES, ...CLI_CASES]

  test.concurrent.each(cases)('$name', async (badCase) => {
    const { args, env } = argsOf(badCase.inputs)
    const sent = world.proxy.requests.length
    const run = await runCli([...args, ...(badCase.args ?? [])], {
      env: { ...world.proxy.env, ...(badCase.env ?? SECRET_SIGN_IN), ...env, ...badCase.build?.() },
      cwd: folder,
      timeoutMs: 30_000
    })
    expectExit(run, 2)
    expect(run.stdout).toBe('')
    // One error line, the last (commander adds the flag it guesses was meant to an unknown one). A mistake in
    // the sign-in is found after the log said which sign-in was chosen: that line may come first.
    const lines = run.stderr.trim().split('\n')
    const errors = lines.filter((line) => line.startsWith('error: '))
    expect(errors).toHaveLength(1)
    expect(lines.at(/unknown option/.test(errors[0]) ? -2 : -1)).toBe(errors[0])
    // Every mistake in what the engine reads (registry, source, images file, ...) is the only line printed.
    expect(lines.length).toBeLessThanOrEqual(ENGINE_CASES.includes(badCase) ? 1 : 2)
    expect(errors[0].slice('error: '.length)).toMatch(badCase.line)
    expect(showsStackTrace(run)).toBe(false)
    // Concurrent cases share the proxy: any request at all fails every case running at the time.
    expect(world.proxy.requests.slice(sent)).toEqual([])
  })
})
