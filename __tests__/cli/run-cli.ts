// Runs the built command line (dist/cli/index.js) as a user's shell or a CI job does: a fresh Node process with
// flags, a clean environment (PATH and HOME, then the test's: the test bed's proxy and CA, AZURE_* sign-in), and
// stdout and stderr kept apart. Asynchronous on purpose: the test bed serves from this very process.
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const CLI_BUNDLE = fileURLToPath(new URL('../../dist/cli/index.js', import.meta.url))
export const NODE24 = fileURLToPath(new URL('../../node_modules/node/bin/node', import.meta.url))

export interface CliRunOptions {
  env?: Record<string, string>
  /** Node binary; the one running the tests (20) by default. */
  node?: string
  cwd?: string
  timeoutMs?: number
}

export interface CliRun {
  exitCode: number | null
  stdout: string
  stderr: string
}

/** A started run: its process (to signal it), and its end. */
export interface StartedCli {
  child: ChildProcess
  /** Everything written to stderr so far. */
  stderr(): string
  ended: Promise<CliRun>
}

export function startCli(args: string[], options: CliRunOptions = {}): StartedCli {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...options.env }
  const child = spawn(options.node ?? process.execPath, [CLI_BUNDLE, ...args], {
    env,
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const ended = new Promise<CliRun>((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000)
    child.on('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
    child.on('close', (exitCode) => {
      clearTimeout(timer)
      resolve({ exitCode, stdout, stderr })
    })
  })
  return { child, stderr: () => stderr, ended }
}

export function runCli(args: string[], options: CliRunOptions = {}): Promise<CliRun> {
  return startCli(args, options).ended
}

/** Makes a failed expectation show the run's log, which is what explains it. */
export function expectExit(run: CliRun, code: number): void {
  if (run.exitCode !== code) {
    throw new Error(
      `expected exit ${code}, got ${run.exitCode}:\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`
    )
  }
}

/** True when the run printed a stack trace. */
export function showsStackTrace(run: CliRun): boolean {
  return `${run.stdout}\n${run.stderr}`.split(/\r?\n/).some((line) => /^\s+at .+[:(]\d+:\d+\)?$/.test(line))
}
