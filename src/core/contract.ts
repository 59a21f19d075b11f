// The contract between the platform-free engine and its two hosts (GitHub Action, Azure DevOps task).
// Data flows one way: host inputs -> ImportRequest + SignIn -> engine -> RunOutcome -> host outputs.
// The engine never imports @actions/* or azure-pipelines-task-lib; a host hands it everything through here.

/** One import job as the user described it, already parsed from the host's inputs (but not yet validated). */
export interface ImportRequest {
  /** Target ACR: name (found through ARM in the subscription), login server, or ARM resource ID. */
  registry: string
  /** Source references, one import each (`docker.io/library/nginx:1.27`, `nginx`, `repo@sha256:...`). */
  sources: string[]
  /** Source ACR by resource ID, name or login server; `sources` are then `repo[:tag|@digest]` in it. */
  sourceRegistry?: string
  /** Target `repo[:tag]`s. Empty: the source's `repo:tag`. */
  images: string[]
  /** Untagged target repositories (manifest-only copy). */
  repositories: string[]
  /** Source registry credentials (Docker Hub token, SP app ID + password, ACR token, private registry). */
  username?: string
  password?: string
  /** Overwrite existing target tags (ARM mode Force). Default false: NoForce. */
  force: boolean
  /** Wait for the long-running operation. When false, the import is queued and no digest is verified. */
  wait: boolean
  /** Client-side limit for one import, in seconds (stuck imports are a known ACR failure). */
  timeoutSeconds: number
  /** Resolve and validate everything, print the plan, import nothing. */
  dryRun: boolean
  /** ARM subscription that holds the target registry (when it is given by name or login server). */
  subscriptionId?: string
}

/** How to sign in to Entra ID. The host resolves its platform's inputs into exactly one of these. */
export type SignIn =
  | {
      kind: 'federated'
      tenantId: string
      clientId: string
      /** Called each time a token is needed, so a long import never presents an expired assertion. */
      getAssertion: () => Promise<string>
      /** Where the assertion comes from, for messages ("GitHub OIDC", "Azure DevOps service connection X"). */
      describe: string
    }
  | { kind: 'client-secret'; tenantId: string; clientId: string; clientSecret: string }
  | { kind: 'client-certificate'; tenantId: string; clientId: string; certificatePem: string }
  | { kind: 'managed-identity'; clientId?: string }
  | { kind: 'azure-cli'; tenantId?: string }

/** The small logger a host gives the engine. Hosts make remote text safe to print (no workflow commands). */
export interface Logger {
  info(message: string): void
  notice(message: string): void
  warning(message: string): void
  debug(message: string): void
  /** Runs `fn` inside a collapsible log group. */
  group<T>(title: string, fn: () => Promise<T>): Promise<T>
  /** Registers a value that must never be printed (masked by the host). */
  setSecret(value: string): void
}

export type ImportStatus = 'imported' | 'queued' | 'planned' | 'failed'

/** One row of the `results` output. */
export interface ImportResult {
  source: string
  /** Target references as `loginServer/repo:tag` (and `loginServer/repo` for untagged repositories). */
  targets: string[]
  /** The imported manifest digest, or '' when neither side could be read. */
  digest: string
  /** Platforms of a multi-arch index (`linux/amd64`, ...), empty for a single manifest or when unknown. */
  platforms: string[]
  status: ImportStatus
  durationMs: number
  /** One-line error with its hint, for a failed import. */
  error?: string
}

export interface RunOutcome {
  /** Digest of the (first) imported target tag; '' when not known. */
  digest: string
  results: ImportResult[]
  /** Markdown for the job summary / uploaded summary. */
  summaryMarkdown: string
  /** How many imports failed (status 'failed'); the host fails its step when this is above 0. */
  failed: number
}
