// The Azure SDK's own logging (AZURE_LOG_LEVEL) through the test bed's proxy: the request dumps it writes hold the
// proxy agent's sockets, whose raw request text carries every Authorization header. The action routes those lines
// to `::debug::` after redaction: they must arrive there (routing, not silence) and no secret may show anywhere.
import { describe, expect, test } from '@jest/globals'
import { useTestbed } from '../testbed/use-testbed.js'
import { DOCKER_HUB_USER } from '../testbed/world.js'
import { expectSuccess, MAIN_BRANCH_SUBJECT, runWithOidc, secretsSeenBy } from './e2e-steps.js'
import type { ActionRun } from './run-action.js'

const testbed = useTestbed()

/** Everything a person sees of a run: `::add-mask::` lines are commands to the runner's masker, never shown. */
function shownBy(run: ActionRun): string {
  const stdout = run.stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n')
  return [stdout, run.stderr, JSON.stringify(run.outputs), run.summary].join('\n')
}

describe.each(['verbose', 'info'])('AZURE_LOG_LEVEL=%s', (level) => {
  test('SDK lines arrive as debug lines, nothing on stderr, and no secret anywhere', async () => {
    const before = testbed.requests.length
    const oidc = testbed.githubOidc(MAIN_BRANCH_SUBJECT)
    const run = await runWithOidc(
      testbed,
      {
        source: 'docker.io/contosobot/private-app:1.0',
        image: `sdk-logging-${level}/private-app:1.0`,
        username: DOCKER_HUB_USER.username,
        password: DOCKER_HUB_USER.password
      },
      { debug: true, env: { ...oidc, AZURE_LOG_LEVEL: level } }
    )
    expectSuccess(run)

    const sdkDebugLines = run.stdout.split('\n').filter((line) => line.startsWith('::debug::azure:'))
    expect(sdkDebugLines.some((line) => line.startsWith('::debug::azure:identity:'))).toBe(true)
    expect(sdkDebugLines.some((line) => line.startsWith('::debug::azure:core-rest-pipeline:'))).toBe(true)
    expect(run.stderr).not.toMatch(/azure:/)

    const secrets = new Set([
      DOCKER_HUB_USER.password,
      Buffer.from(`${DOCKER_HUB_USER.username}:${DOCKER_HUB_USER.password}`).toString('base64'),
      oidc.ACTIONS_ID_TOKEN_REQUEST_TOKEN,
      ...secretsSeenBy(testbed.requests.slice(before))
    ])
    // Docker Hub basic, ARM bearer, the ID token as client assertion, the ACR tokens: far more than four.
    expect(secrets.size).toBeGreaterThan(4)
    const shown = shownBy(run)
    expect([...secrets].filter((secret) => shown.includes(secret))).toEqual([])
  })
})
