// Runs one table of scenarios on every host. Each platform gets a test bed of its own, as it had when each host
// kept its own copy of the scenarios: scenarios move source tags, push signatures and count the test bed's
// requests, so the action and the task must not share one. The hosts of one platform (the task on Node 20 and on
// Node 24) share theirs, and keep apart by the repository prefix `host.id`.
import { describe } from '@jest/globals'
import { NODE_VERSIONS } from '../task/agent.js'
import { useTestbed } from '../testbed/use-testbed.js'
import type { Testbed } from '../testbed/types.js'
import { actionHost } from './action-host.js'
import type { Host } from './host.js'
import { taskHost } from './task-host.js'

export const [NODE20, NODE24] = NODE_VERSIONS

/** The action as the runner starts it (node24), and the task on one Node version. */
export const ACTION_AND_TASK_ON = (node: typeof NODE20): Host[][] => [[actionHost()], [taskHost(node)]]

/**
 * `describe(title)` once per platform group of `groups`, with a test bed for the group, and inside it once per
 * host: `scenarios` declares the tests, reading the test bed only inside them.
 */
export function onEachHost(
  title: string,
  groups: Host[][],
  scenarios: (host: Host, testbed: Testbed) => void
): void {
  const platforms = (hosts: Host[]): string => [...new Set(hosts.map((host) => host.platform))].join(', ')
  describe.each(groups.map((hosts) => ({ hosts, platforms: platforms(hosts) })))(
    `${title} ($platforms)`,
    ({ hosts }) => {
      const testbed = useTestbed()
      describe.each(hosts)('$title', (host) => scenarios(host, testbed))
    }
  )
}
