// A STAND-IN for the Azure CLI (`az`), which cannot be installed here. The Azure CLI credential of
// @azure/identity runs `az account get-access-token --output json --resource <resource> [--tenant <id>]` in a
// shell and parses accessToken / expires_on / expiresOn from its JSON. This stand-in answers exactly that
// command, and nothing else, with a REAL token: it signs in to the test bed's Entra ID with the client
// credentials of an app (as `az login --service-principal` would have done earlier in the job) through the
// proxy and CA it inherits (HTTPS_PROXY, NODE_EXTRA_CA_CERTS). Logged out, it fails as az does. Every call's
// arguments are recorded, so a test can check what the credential ran.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { NODE24 } from './run-action.js'

export interface FakeAzSession {
  tenantId: string
  clientId: string
  clientSecret: string
  subscriptionId: string
}

export interface FakeAz {
  /** Folder holding `az`: put it first on PATH. */
  dir: string
  /** The argument lists `az` was called with, in order. */
  calls(): string[][]
  remove(): void
}

// CommonJS (no package.json around it) on Node 24, whose fetch honours HTTPS_PROXY under NODE_USE_ENV_PROXY.
const STAND_IN = String.raw`
const { appendFileSync, readFileSync } = require('node:fs')
const { join } = require('node:path')
const config = JSON.parse(readFileSync(join(__dirname, 'session.json'), 'utf8'))
const args = process.argv.slice(2)
appendFileSync(join(__dirname, 'calls.jsonl'), JSON.stringify(args) + '\n')

function fail(message) {
  process.stderr.write('ERROR: ' + message + '\n')
  process.exit(1)
}
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined)

if (args[0] !== 'account' || args[1] !== 'get-access-token') fail('this az stand-in only runs account get-access-token')
if (!config.session) fail("Please run 'az login' to setup account.")
const resource = option('--resource')
if (!resource) fail('the stand-in expects --resource')
const tenant = option('--tenant') || config.session.tenantId

fetch('https://login.microsoftonline.com/' + tenant + '/oauth2/v2.0/token', {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: config.session.clientId,
    client_secret: config.session.clientSecret,
    scope: resource.replace(/\/$/, '') + '/.default'
  })
})
  .then(async (response) => {
    const answer = await response.json()
    if (!response.ok) fail(answer.error_description || 'token request failed: HTTP ' + response.status)
    const expiresOn = Math.floor(Date.now() / 1000) + answer.expires_in
    process.stdout.write(
      JSON.stringify({
        accessToken: answer.access_token,
        expiresOn: new Date(expiresOn * 1000).toISOString().replace('T', ' ').replace('Z', '000'),
        expires_on: expiresOn,
        subscription: config.session.subscriptionId,
        tenant,
        tokenType: 'Bearer'
      }, null, 2) + '\n'
    )
  })
  .catch((error) => fail(String(error && error.message)))
`

/** Writes the stand-in; `session` undefined means nobody ran `az login`. */
export function installFakeAz(session: FakeAzSession | undefined): FakeAz {
  const dir = mkdtempSync(join(tmpdir(), 'fake-az-'))
  writeFileSync(join(dir, 'session.json'), JSON.stringify({ session: session ?? null }))
  writeFileSync(join(dir, 'calls.jsonl'), '')
  writeFileSync(join(dir, 'az.cjs'), STAND_IN)
  writeFileSync(
    join(dir, 'az'),
    `#!/bin/sh\nNODE_USE_ENV_PROXY=1 exec '${NODE24}' '${join(dir, 'az.cjs')}' "$@"\n`,
    { mode: 0o755 }
  )
  return {
    dir,
    calls: () =>
      readFileSync(join(dir, 'calls.jsonl'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as string[]),
    remove: () => rmSync(dir, { recursive: true, force: true })
  }
}
