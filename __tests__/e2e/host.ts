// What a shared end-to-end scenario sees of a host: one step it asks for, in action.yml's terms, and what the run
// showed, in terms every host has (a verdict, outputs, a summary, error and warning lines, the log). Each host's
// adapter (action-host.ts, task-host.ts) starts the built bundle as its platform does and translates both ways,
// so a scenario is written once and runs on every host.
import type { Testbed } from '../testbed/types.js'

/** One step of a pipeline, as a scenario writes it. */
export interface Step {
  /** Inputs by their action.yml names (kebab-case); the host's own sign-in inputs are added by the host. */
  inputs: Record<string, string>
  /** The step's environment on top of the platform's (secrets a pipeline maps in with `env:`, AZURE_LOG_LEVEL). */
  env?: Record<string, string>
  /**
   * Who signs in: the host's usual identity by default; `federated` insists on its federated (OIDC) one;
   * `import-reader` is an identity that may import into prodacr but not push or lock.
   */
  signIn?: 'federated' | 'import-reader'
  /** Debug logging on (the task always runs with it). */
  debug?: boolean
  timeoutMs?: number
}

/** What a run showed, the same for every host. */
export interface HostRun {
  /** The platform's verdict: exit code 0 on the runner, `Succeeded` on the agent. */
  succeeded: boolean
  /** Failed as a user error does: exit code 1 on the runner, `Failed` on the agent. */
  failed: boolean
  outputs: Record<string, string>
  /** The job summary (Markdown). */
  summary: string
  /** Error and warning annotations (the runner's `::error::`, the agent's `task.issue`), unescaped. */
  errors: string[]
  warnings: string[]
  /** The task's result message, which the agent shows for a failed task (the action has none). */
  resultMessage?: string
  /** Debug lines, without the platform's prefix. */
  debug: string[]
  /** Values the run handed to the platform's masker. */
  masked: string[]
  /** Secrets of the run's own environment (tokens and keys the platform gave it). */
  ownSecrets: string[]
  /** The step's standard output and error. */
  log: string
  stderr: string
  /** Everything a person reads: the log and stderr without the masker's commands, the outputs, the summary. */
  shown: string
  /** A stack trace in what a person reads (debug lines aside). */
  showsStackTrace: boolean
}

/** A platform that runs the bundle, on one Node version. */
export interface Host {
  /** `action` or `task`: names repositories apart and picks a host's own wording. */
  platform: 'action' | 'task'
  /** Unique among the hosts of a test bed: `gh`, `ado-node20`, ... (scenarios prefix their repositories with it). */
  id: string
  /** For test titles: `the action on node24`. */
  title: string
  /**
   * Runs a step. `workspace` is the folder that relative `images-file` inputs are in (the runner's
   * GITHUB_WORKSPACE; the agent hands the task an absolute path).
   */
  run(testbed: Testbed, step: Step, workspace?: string): Promise<HostRun>
  /** Where the host asks for the ID token it federates with: the host name and a path that only that request has. */
  tokenEndpoint(testbed: Testbed): { hostname: string; path: string }
}
