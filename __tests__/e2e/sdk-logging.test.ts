// The Azure SDK's own logging (AZURE_LOG_LEVEL) through the test bed's proxy, with debug logging on: the request
// dumps it writes hold the proxy agent's sockets, whose raw request text carries every Authorization header. Each
// host routes those lines to its debug log after redaction: they must arrive there (routing, not silence),
// nothing may go to stderr, and no secret may show anywhere a person reads. The hosts share one test bed, each
// importing into a repository of its own.
import { expect, test } from '@jest/globals'
import { DOCKER_HUB_USER } from '../testbed/world.js'
import { actionHost } from './action-host.js'
import { expectSucceeded } from './expect-run.js'
import type { Host } from './host.js'
import { NODE20, NODE24, onEachHost } from './on-each-host.js'
import { expectNoSecretShown, secretsOnTheWire } from './secrets.js'
import { taskHost } from './task-host.js'

/** The levels each platform is run with: the task on two Node versions, so at the loudest level only. */
const LEVELS: Record<Host['platform'], string[]> = { action: ['verbose', 'info'], task: ['verbose'] }

const HOSTS = [[actionHost(), taskHost(NODE20), taskHost(NODE24)]]

onEachHost('the Azure SDK log', HOSTS, (host, testbed) => {
  test.each(LEVELS[host.platform])(
    'AZURE_LOG_LEVEL=%s: SDK lines arrive as debug lines, nothing on stderr, and no secret anywhere',
    async (level) => {
      const before = testbed.requests.length
      const step = await host.run(testbed, {
        inputs: {
          source: 'docker.io/contosobot/private-app:1.0',
          image: `${host.id}-sdk-logging-${level}/private-app:1.0`,
          username: DOCKER_HUB_USER.username,
          password: DOCKER_HUB_USER.password
        },
        env: { AZURE_LOG_LEVEL: level },
        debug: true
      })
      expectSucceeded(step)

      const sdkDebugLines = step.debug.filter((line) => line.startsWith('azure:'))
      expect(sdkDebugLines.some((line) => line.startsWith('azure:identity:'))).toBe(true)
      expect(sdkDebugLines.some((line) => line.startsWith('azure:core-rest-pipeline:'))).toBe(true)
      expect(step.stderr).not.toMatch(/azure:/)

      const basic = Buffer.from(`${DOCKER_HUB_USER.username}:${DOCKER_HUB_USER.password}`).toString('base64')
      expectNoSecretShown(step, testbed, [basic])
      // The platform's token, the Docker Hub password and its basic header, the ID token as client assertion,
      // ARM and ACR tokens: far more than five, or the check above proved little.
      const ofThisRun = new Set([
        ...step.ownSecrets,
        basic,
        ...secretsOnTheWire(testbed.requests.slice(before))
      ])
      expect(ofThisRun.size).toBeGreaterThan(5)
    }
  )
})
