// Runs the built command line (dist/cli/index.js) as a user's shell or a CI job does: a fresh Node process with
// flags, a clean environment (PATH and HOME, then the test's: the test bed's proxy and CA, AZURE_* sign-in), and
// stdout and stderr kept apart. Asynchronous on purpose: the test bed serves from this very process.
import { NODE_20 } from '../node-binaries.js'
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import type { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'

export const CLI_BUNDLE = fileURLToPath(new URL('../../dist/cli/index.js', import.meta.url))
export const NODE24 = fileURLToPath(new URL('../../node_modules/node/bin/node', import.meta.url))

export interface CliRunOptions {
  env?: Record<string, string>
  /** Node binary; the one running the tests by default. */
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
  ended: Promise<CliRun>
}

export function startCli(args: string[], options: CliRunOptions = {}): StartedCli {
  const child = spawn(options.node ?? process.execPath, [CLI_BUNDLE, ...args], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...options.env },
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    // A run that hangs is killed, and its test fails on the exit code with what it printed until then.
    timeout: options.timeoutMs ?? 60_000,
    killSignal: 'SIGKILL'
  })
  const stdout = textOf(child.stdout!)
  const stderr = textOf(child.stderr!)
  const ended = once(child, 'close').then(([exitCode]) => ({
    exitCode: exitCode as number | null,
    stdout: stdout(),
    stderr: stderr()
  }))
  return { child, ended }
}

/** Everything a stream gave so far. */
function textOf(stream: Readable): () => string {
  const chunks: string[] = []
  stream.setEncoding('utf8').on('data', (chunk: string) => chunks.push(chunk))
  return () => chunks.join('')
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

/** The machine's own Node 20 (a plain `node` under `npm test` is Node 24). */
export const MACHINE_NODE = NODE_20
