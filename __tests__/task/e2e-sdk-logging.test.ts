// The Azure SDK's own logging (AZURE_LOG_LEVEL=verbose) through the test bed's proxy, with debug logging on: the
// request dumps hold the proxy agent's sockets, whose raw request text carries every Authorization header. The
// task routes those lines to `##vso[task.debug]` after redaction: they must arrive there (routing, not silence),
// nothing may go to stderr, and no secret may show anywhere a person reads.
import { afterAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { useTestbed } from '../testbed/use-testbed.js'
import { DOCKER_HUB_USER } from '../testbed/world.js'
import { NODE_VERSIONS, removeRunFolders, runTask, visibleOutput } from './agent.js'
import { federatedJob, secretsOf } from './e2e-world.js'

const testbed = useTestbed()
afterAll(() => removeRunFolders())

describe.each(NODE_VERSIONS)('the task on $name with AZURE_LOG_LEVEL=verbose', ({ name, binary }) => {
  it('sends SDK lines to the debug log, nothing to stderr, and prints no secret', async () => {
    const job = federatedJob(testbed, {
      registry: 'prodacr',
      source: 'docker.io/contosobot/private-app:1.0',
      image: `ado-sdk-logging-${name}/private-app:1.0`,
      username: DOCKER_HUB_USER.username,
      password: DOCKER_HUB_USER.password
    })
    job.extraEnv = { ...job.extraEnv, AZURE_LOG_LEVEL: 'verbose' }
    const run = await runTask(job, { node: binary })
    expect({ result: run.result, message: run.resultMessage, stderr: run.stderr }).toMatchObject({
      result: 'Succeeded'
    })

    const sdkDebugLines = run.commands
      .filter((command) => command.command === 'task.debug')
      .map((command) => command.message)
      .filter((message) => message.startsWith('azure:'))
    expect(sdkDebugLines.some((line) => line.startsWith('azure:identity:'))).toBe(true)
    expect(sdkDebugLines.some((line) => line.startsWith('azure:core-rest-pipeline:'))).toBe(true)
    expect(run.stderr).not.toMatch(/azure:/)

    const secrets = new Set([
      ...secretsOf(job, testbed),
      Buffer.from(`${DOCKER_HUB_USER.username}:${DOCKER_HUB_USER.password}`).toString('base64')
    ])
    // The system token, the Docker Hub password and its basic header, the ID token, ARM and ACR tokens.
    expect(secrets.size).toBeGreaterThan(5)
    const shown = [visibleOutput(run), ...run.summaries.map((path) => readFileSync(path, 'utf8'))].join('\n')
    expect([...secrets].filter((secret) => shown.includes(secret))).toEqual([])
  })
})
