// Runs the built action bundle (dist/action/index.js) the way the GitHub runner does: a fresh Node process
// with INPUT_* variables (action.yml defaults included, hyphens kept), GITHUB_OUTPUT and GITHUB_STEP_SUMMARY
// files, RUNNER_TEMP and GITHUB_ACTIONS=true. Asynchronous on purpose: the test bed serves from this very process.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { inputEnvironment } from './action-manifest.js'

export const NODE24 = fileURLToPath(new URL('../../node_modules/node/bin/node', import.meta.url))
export const ACTION_BUNDLE = fileURLToPath(new URL('../../dist/action/index.js', import.meta.url))

export interface RunActionOptions {
  /** The step's `with:` inputs by their action.yml names. */
  inputs: Record<string, string>
  /** Further environment: the test bed's proxy and CA, OIDC request variables, managed identity, ... */
  env?: Record<string, string>
  /** RUNNER_DEBUG=1, as "Enable debug logging" on a re-run does. */
  debug?: boolean
  /** Node binary; the runner's node24 by default. */
  node?: string
  timeoutMs?: number
}

export interface ActionRun {
  exitCode: number | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  /** `::error::` lines, unescaped (what the run's annotations and failure show). */
  errors: string[]
}

export async function runAction(options: RunActionOptions): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'action-run-'))
  const outputFile = join(dir, 'github_output')
  const summaryFile = join(dir, 'step_summary')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? dir,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    RUNNER_TEMP: dir,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    ...(options.debug ? { RUNNER_DEBUG: '1' } : {}),
    ...options.env,
    ...inputEnvironment(options.inputs)
  }
  try {
    const { exitCode, stdout, stderr } = await spawnNode(
      options.node ?? NODE24,
      [ACTION_BUNDLE],
      env,
      options.timeoutMs ?? 60_000
    )
    return {
      exitCode,
      stdout,
      stderr,
      outputs: parseGitHubOutput(readFileSync(outputFile, 'utf8')),
      summary: readFileSync(summaryFile, 'utf8'),
      errors: commandLines(stdout, 'error')
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

function spawnNode(
  node: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs: number
): Promise<{ exitCode: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
    child.on('close', (exitCode) => {
      clearTimeout(timer)
      resolve({ exitCode, stdout, stderr })
    })
  })
}

/** Parses the GITHUB_OUTPUT file: `name<<delimiter`, value lines, `delimiter` (and plain `name=value`). */
export function parseGitHubOutput(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i])
    if (heredoc) {
      const end = lines.indexOf(heredoc[2], i + 1)
      if (end < 0) throw new Error(`GITHUB_OUTPUT: no closing ${heredoc[2]} for ${heredoc[1]}`)
      outputs[heredoc[1]] = lines.slice(i + 1, end).join('\n')
      i = end
    } else if (lines[i].includes('=')) {
      const at = lines[i].indexOf('=')
      outputs[lines[i].slice(0, at)] = lines[i].slice(at + 1)
    }
  }
  return outputs
}

/** The messages of `::name ...::message` workflow commands in stdout, unescaped as the runner does. */
export function commandLines(stdout: string, name: string): string[] {
  const pattern = new RegExp(`^::${name}(?: [^:]*)?::(.*)$`)
  return stdout
    .split(/\r?\n/)
    .map((line) => pattern.exec(line)?.[1])
    .filter((message): message is string => message !== undefined)
    .map((message) => message.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%'))
}

/** True when the run printed a stack trace anywhere a user sees it (debug lines excluded). */
export function showsStackTrace(run: ActionRun): boolean {
  const visible = [
    ...run.stdout.split(/\r?\n/).filter((line) => !line.startsWith('::debug::')),
    ...run.stderr.split(/\r?\n/)
  ]
  return visible.some((line) => /^\s+at .+[:(]\d+:\d+\)?$/.test(line) || /%0A\s+at /.test(line))
}
