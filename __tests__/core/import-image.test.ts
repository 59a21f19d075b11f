// The import as a long-running operation, in-process against the test bed: Retry-After is honoured yet the
// import ends when the data plane shows it landed; ARM's 200 at once; ARM decides failures.
import { beforeEach, describe, expect, it } from '@jest/globals'
import { runStep } from '../../src/core/index.js'
import type { Testbed } from '../testbed/index.js'
import { recordingHost, useTestbedInProcess } from './fake-host.js'

const testbedNow = useTestbedInProcess()
let testbed: Testbed
beforeEach(() => {
  testbed = testbedNow()
})

async function run(inputs: Record<string, string>) {
  const host = recordingHost({ registry: 'prodacr', ...inputs })
  await runStep(host)
  return { host }
}

describe('importImage against the test bed', () => {
  it('ends an import of 2 s as soon as the tag lands, though ARM asks for Retry-After: 10', async () => {
    // Warm up sign-in and the source read, so that only the import is measured.
    await run({ source: 'docker.io/library/busybox:1.36 => warm/busybox:1' })
    testbed.faults.importDuration(2000)
    testbed.faults.importTimeline(1, 10, 10)
    try {
      const polls = testbed.counters().importPolls
      const { host } = await run({ source: 'docker.io/library/busybox:1.36 => landed/busybox:1' })
      const [result] = host.results() as unknown as { status: string; durationMs: number }[]
      expect(result.status).toBe('imported')
      // ARM was never polled: the import ended on the data plane's word, before ARM's Retry-After (10 s) let
      // anyone ask. No wall-clock bound here (the time is figure 6 of `npm run bench`): on a busy machine it
      // would fail for the load, not for the behaviour.
      expect(testbed.counters().importPolls).toBe(polls)
    } finally {
      testbed.faults.reset()
    }
  }, 60000)

  it('takes ARM’s 200 at once for an import that is over at once', async () => {
    testbed.faults.immediateImportAnswer(true)
    try {
      const polls = testbed.counters().importPolls
      const { host } = await run({ source: 'docker.io/library/alpine:3.20 => at-once/alpine:3.20' })
      expect(host.results()[0].status).toBe('imported')
      expect(testbed.counters().importPolls).toBe(polls)
    } finally {
      testbed.faults.reset()
    }
  }, 60000)

  it('leaves a failure to ARM, which reports it on the poll', async () => {
    testbed.faults.failNextImport('Error copying blobs: the remote server may not be RFC 7233 compliant')
    try {
      const { host } = await run({ source: 'docker.io/library/busybox:1.36 => failing/busybox:1' })
      expect(host.results()[0].status).toBe('failed')
      expect(host.results()[0].error).toMatch(/InvalidParameters \(HTTP 400\).*RFC 7233.*another mirror/)
    } finally {
      testbed.faults.reset()
    }
  }, 60000)

  it('waits out ARM throttling of the import and counts it in the result', async () => {
    testbed.faults.throttleImports(2, 429, 1)
    try {
      const { host } = await run({ source: 'docker.io/library/busybox:1.36 => throttled/busybox:1' })
      const [result] = host.results() as unknown as { status: string; throttled?: number }[]
      expect(result).toMatchObject({ status: 'imported', throttled: 2 })
    } finally {
      testbed.faults.reset()
    }
  }, 60000)
})
