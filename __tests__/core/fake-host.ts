// A HostPort that records every call, for in-process tests of runStep and the pipeline: the same lifecycle the
// bundles run, with the platform replaced by arrays a test can read.
import { afterAll, beforeAll } from '@jest/globals'
import type { HostPort, HostSignIn } from '../../src/core/index.js'
import { APPS, SUB_PROD } from '../testbed/world.js'
import { startTestbed, type Testbed } from '../testbed/index.js'

export interface RecordingHost extends HostPort {
  /** Every printed line as `<level> <text>` (`info`, `notice`, `warning`, `debug`, `group`). */
  lines: string[]
  secrets: string[]
  outputs: Record<string, string>
  summaries: string[]
  failedImports: { source: string; error: string }[]
  /** The step's end: `failed <line>` or `succeeded <line>`, once. */
  ending: string[]
  /** The results output, parsed. */
  results(): { source: string; status: string; digest: string; targets: string[]; error?: string }[]
}

/** The test bed's client-secret app, signed in to the subscription that holds prodacr. */
export const TESTBED_SIGN_IN: HostSignIn = {
  signIn: {
    kind: 'client-secret',
    tenantId: APPS.github.tenantId,
    clientId: APPS.github.appId,
    clientSecret: APPS.github.clientSecret
  },
  subscriptionId: SUB_PROD,
  reason: 'test sign-in'
}

export function recordingHost(
  inputs: Record<string, string>,
  signIn: () => HostSignIn = () => TESTBED_SIGN_IN
): RecordingHost {
  const host: RecordingHost = {
    lines: [],
    secrets: [],
    outputs: {},
    summaries: [],
    failedImports: [],
    ending: [],
    results: () => JSON.parse(host.outputs.results ?? '[]'),
    cancelledMessage: 'The test was cancelled',
    input: (name) => inputs[name] ?? '',
    cloud: () => ({}),
    signIn,
    workspace: () => process.cwd(),
    info: (line) => host.lines.push(`info ${line}`),
    notice: (line) => host.lines.push(`notice ${line}`),
    warning: (line) => host.lines.push(`warning ${line}`),
    debug: (line) => host.lines.push(`debug ${line}`),
    group: async (title, fn) => {
      host.lines.push(`group ${title}`)
      return fn()
    },
    setSecret: (line) => host.secrets.push(line),
    setOutput: (name, value) => {
      host.outputs[name] = value
    },
    writeSummary: async (markdown) => {
      host.summaries.push(markdown)
    },
    reportFailedImport: (source, error) => host.failedImports.push({ source, error }),
    fail: (line) => host.ending.push(`failed ${line}`),
    succeed: (line) => host.ending.push(`succeeded ${line}`)
  }
  return host
}

/**
 * Points this process's HTTP clients at the test bed's proxy (the CA is trusted for the whole run by
 * scripts/run-tests.mjs). Returns the function that puts the environment back.
 */
export function useTestbedNetwork(testbed: Testbed): () => void {
  const names = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy']
  const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]))
  for (const name of names) process.env[name] = testbed.env[name]
  return () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  }
}

/**
 * Starts a test bed for the file's tests and points this process's HTTP clients at it; the getter returns it
 * inside a test.
 */
export function useTestbedInProcess(): () => Testbed {
  let testbed: Testbed | undefined
  let restoreNetwork: (() => void) | undefined
  beforeAll(async () => {
    testbed = await startTestbed()
    restoreNetwork = useTestbedNetwork(testbed)
  }, 60000)
  afterAll(async () => {
    restoreNetwork?.()
    await testbed?.stop()
  })
  return () => {
    if (!testbed) throw new Error('The test bed is not started yet: use it inside a test')
    return testbed
  }
}
