// The host's inputs, console and outputs, in-process with the variables the agent sets.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import {
  captureStdout,
  importQuietly,
  job,
  loadJob,
  removeTempDirectory,
  tempDirectory
} from './in-process.js'
import { parseVsoCommands, readTaskReport } from './vso.js'

import type { HostPort } from '../../src/core/index.js'
import type { StepRequest } from '../../src/core/request/step-request.js'
import type { Logger } from '../../src/core/log/logger.js'

let createTaskHost: () => HostPort
let readRequest: (input: HostPort['input']) => StepRequest
let stepLogger: (host: HostPort) => Logger
let applyAgentProxy: () => void
// Every test captures stdout: task-lib prints ##vso commands, which an agent running these tests would obey.
let stdout: ReturnType<typeof captureStdout>

beforeAll(async () => {
  ;({ createTaskHost } = await importQuietly(() => import('../../src/task/host.js')))
  ;({ readRequest } = await import('../../src/core/request/read-request.js'))
  ;({ stepLogger } = await import('../../src/core/log/logger.js'))
  ;({ applyAgentProxy } = await import('../../src/task/proxy.js'))
})

beforeEach(() => {
  stdout = captureStdout()
})

afterEach(() => stdout.restore())

afterAll(() => removeTempDirectory())

async function withInputs(inputs: Record<string, string>): Promise<void> {
  await loadJob({ ...job('ServicePrincipal', {}), inputs: { azureSubscription: 'id', ...inputs } })
}

/** What runStep reads through the task's port, secret inputs registered as they are read. */
function readImportRequest(): StepRequest {
  const host = createTaskHost()
  const log = stepLogger(host)
  return readRequest((name, options) => {
    const value = host.input(name, options)
    if (options?.secret) log.setSecret(value)
    return value
  })
}

function failure(fn: () => unknown): string {
  try {
    fn()
  } catch (error) {
    return (error as { format?: () => string }).format?.() ?? String(error)
  }
  throw new Error('did not fail')
}

describe('the engine inputs through the task host', () => {
  it('applies the task.json defaults when the agent leaves inputs unset', async () => {
    await withInputs({ registry: 'prodacr', source: 'nginx' })
    expect(readImportRequest()).toEqual({
      registry: 'prodacr',
      sourceLines: ['nginx'],
      sourceRegistry: undefined,
      images: [],
      repositories: [],
      credentials: undefined,
      force: false,
      wait: true,
      timeoutSeconds: 600,
      dryRun: false,
      imagesFile: undefined,
      concurrency: 'auto',
      skipUnchanged: true,
      failFast: false,
      referrers: true,
      lock: false,
      shard: undefined
    })
  })

  it('reads every input by its camelCase name: one target per line, booleans in any case, the timeout', async () => {
    await withInputs({
      registry: 'prodacr.azurecr.io',
      source: 'app:1.0.0',
      sourceRegistry: 'devacr',
      image: 'app:1.0.0\n\n  app:stable  \n',
      repository: 'app-untagged',
      username: 'reader',
      password: 'source-password-1234',
      force: 'True',
      wait: 'FALSE',
      timeout: '90',
      dryRun: 'true'
    })
    expect(readImportRequest()).toMatchObject({
      registry: 'prodacr.azurecr.io',
      sourceLines: ['app:1.0.0'],
      sourceRegistry: 'devacr',
      images: ['app:1.0.0', 'app:stable'],
      repositories: ['app-untagged'],
      credentials: { username: 'reader', password: 'source-password-1234' },
      force: true,
      wait: false,
      timeoutSeconds: 90,
      dryRun: true,
      concurrency: 'auto',
      skipUnchanged: true,
      failFast: false
    })
  })

  it('registers the source password and keeps it out of task-lib debug lines', async () => {
    await withInputs({ registry: 'r', source: 's', password: 'source-password-5678' })
    readImportRequest()
    const commands = parseVsoCommands(stdout.text())
    expect(readTaskReport(commands).secrets).toEqual(['source-password-5678'])
    expect(
      commands.filter((c) => c.command === 'task.debug' && c.message.includes('source-password'))
    ).toEqual([])
  })

  it('says which input is wrong, in one line', async () => {
    await withInputs({ registry: 'r', source: 's', timeout: '10m' })
    expect(failure(() => readImportRequest())).toBe(
      "Input 'timeout' must be a whole number of seconds above 0, not '10m'."
    )
    await withInputs({ registry: 'r', source: 's', force: 'yes' })
    expect(failure(() => readImportRequest())).toBe("Input 'force' must be true or false, not 'yes'.")
    await withInputs({ source: 's' })
    expect(failure(() => readImportRequest())).toMatch(/^Input 'registry' is required/)
  })
})

describe('the task host under the core logger', () => {
  it('prints remote text so that it can never start a ##vso or ##[ command', () => {
    const log = stepLogger(createTaskHost())
    log.info('line one\n##vso[task.setvariable variable=digest;isOutput=true]sha256:evil\n##[error]fake')
    log.warning('registry said: ##vso[task.complete result=Succeeded]')
    log.debug('##VSO[task.setsecret]x')
    const lines = stdout.text().split('\n')
    expect(lines.filter((l) => /##vso\[|##\[/i.test(l) && !/^##vso\[task\.(issue|debug)/.test(l))).toEqual([])
    expect(parseVsoCommands(stdout.text()).map((c) => c.command)).toEqual(['task.issue', 'task.debug'])
    expect(stdout.text()).toContain('line one')
  })

  it('wraps a group in ##[group] and ##[endgroup], even when it throws', async () => {
    const log = stepLogger(createTaskHost())
    await expect(log.group('Import ##vso[x]', async () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom'
    )
    expect(stdout.text().split(/\r?\n/).filter(Boolean)).toEqual([
      '##[group]Import #\u200b#vso[x]',
      '##[endgroup]'
    ])
  })

  it('registers secrets with the agent, multi-line ones line by line', () => {
    stepLogger(createTaskHost()).setSecret('line-one-secret\nline-two-secret')
    expect(readTaskReport(parseVsoCommands(stdout.text())).secrets).toEqual([
      'line-one-secret',
      'line-two-secret'
    ])
  })

  it('sets outputs as output variables by their camelCase names and uploads the summary file', async () => {
    await withInputs({})
    const host = createTaskHost()
    host.setOutput('digest', 'sha256:' + 'a'.repeat(64))
    host.setOutput('target-image', 'prodacr.azurecr.io/hello-world:latest')
    const markdown = '### ACR import\n\n| source | digest |\n|---|---|\n'
    await host.writeSummary(markdown)
    const report = readTaskReport(parseVsoCommands(stdout.text()))
    expect(report.outputs).toEqual({
      digest: 'sha256:' + 'a'.repeat(64),
      targetImage: 'prodacr.azurecr.io/hello-world:latest'
    })
    expect(report.summaries).toHaveLength(1)
    expect(dirname(dirname(report.summaries[0]))).toBe(tempDirectory)
    expect(readFileSync(report.summaries[0], 'utf8')).toBe(markdown)
  })
})

describe('applyAgentProxy', () => {
  const proxyVariables = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'NO_PROXY', 'no_proxy']
  const saved = Object.fromEntries(proxyVariables.map((name) => [name, process.env[name]]))
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  })

  async function withAgentProxy(): Promise<void> {
    for (const name of proxyVariables) delete process.env[name]
    await loadJob({
      ...job('ServicePrincipal', {}),
      variables: {
        AGENT_PROXYURL: 'http://proxy.contoso.com:8080',
        AGENT_PROXYUSERNAME: 'agent',
        SECRET_AGENT_PROXYPASSWORD: 'proxy-password-4321',
        AGENT_PROXYBYPASSLIST: JSON.stringify(['.*\\.corp\\.contoso\\.com', '(a|b)\\.contoso\\.com'])
      }
    })
  }

  it("hands the agent's proxy, with its credentials, to every HTTP client through HTTPS_PROXY", async () => {
    await withAgentProxy()
    applyAgentProxy()
    expect(process.env.HTTPS_PROXY).toBe('http://agent:proxy-password-4321@proxy.contoso.com:8080')
    expect(process.env.HTTP_PROXY).toBe(process.env.HTTPS_PROXY)
    const commands = parseVsoCommands(stdout.text())
    expect(readTaskReport(commands).secrets).toContain('proxy-password-4321')
    expect(
      commands.filter((c) => c.command !== 'task.setsecret' && c.message.includes('proxy-password'))
    ).toEqual([])
  })

  it("turns the agent's bypass list into NO_PROXY and names the patterns it cannot express", async () => {
    await withAgentProxy()
    applyAgentProxy()
    expect(process.env.NO_PROXY).toBe('.corp.contoso.com')
    const warnings = parseVsoCommands(stdout.text()).filter(
      (c) => c.command === 'task.issue' && c.properties.type === 'warning'
    )
    expect(warnings.map((w) => w.message)).toEqual([expect.stringContaining('(a|b)\\.contoso\\.com')])
  })

  it('leaves a proxy already set in the environment alone', async () => {
    await withAgentProxy()
    process.env.HTTPS_PROXY = 'http://127.0.0.1:3128'
    applyAgentProxy()
    expect(process.env.HTTPS_PROXY).toBe('http://127.0.0.1:3128')
  })
})
