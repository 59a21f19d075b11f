// Shared types of the local Azure test bed. Two halves meet here:
// - the registry half (TLS, CONNECT proxy, distribution processes, OCI client and copy, Docker Hub / MCR /
//   private registry / ACR data-plane fronts, faults, request log, startTestbed, the CLI), and
// - the Azure half (Entra ID, OIDC issuers, managed identity, ARM registries and importImage, RBAC).
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { RegistryModel } from './world.js'

/** Serves every request for one host name. `body` is the whole request body, already read. */
export type HostHandler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => Promise<void> | void

/** Host name (lower case, no port) -> handler. A `*.` prefix matches any sub-domain. */
export type HostRoutes = Record<string, HostHandler>

/** Credentials a registry client presents to a registry front when challenged. */
export type RegistryAuth = { kind: 'anonymous' } | { kind: 'basic'; username: string; password: string }

/** Distribution-API client of the test bed's own (used for seeding, for import copies, and in assertions). */
export interface OciClient {
  /** Manifest (raw bytes, media type, digest), or undefined on 404. Throws RegistryError on other failures. */
  getManifest(
    repo: string,
    reference: string
  ): Promise<{ body: Buffer; mediaType: string; digest: string } | undefined>
  /** Digest of a manifest by HEAD, or undefined on 404. */
  headManifest(repo: string, reference: string): Promise<string | undefined>
  putManifest(repo: string, reference: string, body: Buffer, mediaType: string): Promise<string>
  getBlob(repo: string, digest: string): Promise<Buffer>
  hasBlob(repo: string, digest: string): Promise<boolean>
  putBlob(repo: string, body: Buffer): Promise<string>
  listTags(repo: string): Promise<string[]>
}

/** Error from a registry, carrying the HTTP status and the distribution error code (`DENIED`, `TOOMANYREQUESTS`, ...). */
export class RegistryError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string
  ) {
    super(message)
    this.name = 'RegistryError'
  }
}

export interface CopyResult {
  digest: string
  mediaType: string
  /** Number of manifests copied (index + children). */
  manifests: number
  platforms: string[]
}

/** ACR's changeable attributes of a tag or a manifest (all true unless changed). */
export interface ChangeableAttributes {
  deleteEnabled: boolean
  writeEnabled: boolean
  readEnabled: boolean
  listEnabled: boolean
}

/**
 * The changeable attributes of one fake ACR's tags and manifests. The data plane's `PATCH /acr/v1/...` writes
 * them and its reads answer them; a manifest PUT under a write-disabled tag (or of a write-disabled digest) and
 * an importImage onto a write-disabled tag are refused with DENIED (405); a manifest DELETE of a delete-disabled
 * digest too. readEnabled/listEnabled are kept and answered, not enforced.
 */
export interface ChangeableAttributeStore {
  tag(repository: string, tag: string): ChangeableAttributes
  manifest(repository: string, digest: string): ChangeableAttributes
  /** Applies the given attributes (the others keep their value); returns the result. */
  setTag(repository: string, tag: string, change: Partial<ChangeableAttributes>): ChangeableAttributes
  setManifest(repository: string, digest: string, change: Partial<ChangeableAttributes>): ChangeableAttributes
}

/** A fake ACR at run time: its model plus the distribution server behind it. */
export interface RegistryRuntime {
  model: RegistryModel
  loginServer: string
  resourceId: string
  /** Direct client on the backing distribution server (what a trusted Azure service would use). */
  backend: OciClient
  /** Changeable attributes (locks) of its tags and manifests. */
  attributes: ChangeableAttributeStore
}

/** One ARM token bucket: up to `capacity` requests at once, refilled by `refillPerSecond` tokens a second. */
export interface TokenBucketLimit {
  /** Tokens when full (whole number >= 1). */
  capacity: number
  /** Tokens added per second (> 0, fractions allowed). */
  refillPerSecond: number
}

/**
 * ARM's request throttling: one bucket for writes (POST/PUT/PATCH, e.g. importImage) and one for reads (GET,
 * e.g. registry get/list and every long-running-operation poll), per subscription and principal. An absent
 * bucket is unlimited. Real ARM (2024+): writes 200 + 10/s, reads 250 + 25/s (`ARM_SUBSCRIPTION_LIMITS`).
 */
export interface ArmThrottlingLimits {
  writes?: TokenBucketLimit
  reads?: TokenBucketLimit
}

/** Fault injection and counters, shared by every front. */
export interface Faults {
  /** The next `count` importImage POSTs answer `status` with `Retry-After: retryAfterSeconds`. */
  throttleImports(count: number, status: 429 | 503, retryAfterSeconds: number): void
  /**
   * The next `count` connections to `host` are reset before any response; with `pathIncludes`, only requests
   * whose path contains it (a registry that drops its referrer lookups and answers everything else).
   */
  resetConnections(host: string, count: number, pathIncludes?: string): void
  /**
   * The next `count` requests to `host` (with `pathIncludes`, only those whose path contains it) answer 429 with
   * `Retry-After: retryAfterSeconds`, as a registry over its request rate does. ACR documents 429 for its
   * data-plane limits but not its body; the distribution spec's TOOMANYREQUESTS error (Docker Hub's) is used.
   * Any host can be throttled so (Entra ID's token endpoint too, whose 429 body is not documented either: a client
   * that waits out the status and Retry-After never reads it).
   */
  throttleHost(host: string, count: number, retryAfterSeconds: number, pathIncludes?: string): void
  /**
   * Imports started from now on never finish until cleared, like the imports stuck in Running of Azure/acr#617:
   * polls answer 202, and while the content is copied, the target tags (which ACR writes last) do not appear.
   * Clearing it lets them finish: tags written, then the final answer.
   */
  stallImports(on: boolean): void
  /**
   * The next import fails on its poll (on its POST with `immediateImportAnswer`) with HTTP 400
   * InvalidParameters and this message.
   */
  failNextImport(message: string): void
  /**
   * For imports started from now on: at least `polls` of their polls answer 202 before the final answer (default
   * 1); `retryAfterSeconds` is the `Retry-After` on those pending polls, `acceptedRetryAfterSeconds` the one on
   * the POST's 202 (each absent by default, as in the 2026 recordings; 2022 ARM sent `Retry-After: 10` on the
   * POST). Polls never answer 202 for the test bed's own copy time: once the timeline and `importDuration` are
   * over, a poll waits for the copy and answers 200 or 400, so poll counts do not depend on the machine's speed.
   */
  importTimeline(polls: number, retryAfterSeconds?: number, acceptedRetryAfterSeconds?: number): void
  /**
   * Server-side time of each import started from now on, in ms (default 0: only the copy's own time). Polls
   * answer 202 until it is over and 200 after; the target tags are written at its end (ACR writes them last),
   * so the data plane shows them exactly when the operation succeeds.
   */
  importDuration(ms: number): void
  /**
   * When on, an import that is over at once (`importDuration` 0, imports not stalled) is answered on its POST:
   * `200` with an empty body after the copy, as ARM does for small images (Azure/acr#636), or the failure's
   * 400 InvalidParameters. No Location, no polls; the `importTimeline` polls do not apply. Off by default.
   */
  immediateImportAnswer(on: boolean): void
  /**
   * While on, every importImage poll answers `status` with an ARM error body (code InternalServerError), as a
   * flaky ARM front would; the import itself still runs and lands. Real ARM's exact 500 body is not known.
   */
  failImportPolls(status: 500 | 503, on: boolean): void
  /**
   * A concurrent writer: once the next import has written its target tags, and before its operation answers
   * 200, the test bed writes `image` (copied from Docker Hub, e.g. `library/alpine:3.20`) under the same tags.
   */
  anotherWriterOnNextImport(image: { repo: string; reference: string }): void
  /** Added latency on every response of `host` ('*' for all). */
  latency(host: string, ms: number): void
  /** Docker Hub's anonymous pull limit (manifest GETs per test bed lifetime); Infinity for none. */
  dockerHubAnonymousLimit(limit: number): void
  /**
   * The most tags one `GET /v2/<name>/tags/list` answer of `host` ('*' for every registry front) holds, whatever
   * `n` asks for; the rest is announced by `Link: <...?n=&last=>; rel="next"`. Infinity (the default): only
   * `n` pages, as Docker Hub and ACR do as far as is known.
   */
  tagsPageLimit(host: string, limit: number): void
  /**
   * ARM throttling from now on, with full buckets; `{}` turns it off (the default). A request whose bucket is
   * empty answers 429 SubscriptionRequestsThrottled with `Retry-After: <seconds until a token>`; one that passes
   * carries `x-ms-ratelimit-remaining-subscription-writes` / `-reads` (only for a configured bucket). Requests
   * outside a subscription (`GET /subscriptions`) are not counted.
   */
  armThrottling(limits: ArmThrottlingLimits): void
  /** Back to the defaults: no fault, one pending poll, no import duration, no throttling, no caps (lifts a stall). */
  reset(): void
}

export interface LoggedRequest {
  host: string
  /** How it arrived: through the CONNECT tunnel (https) or as a plain absolute-URI request to the proxy (http). */
  scheme?: 'http' | 'https'
  method: string
  url: string
  headers: Record<string, string | string[] | undefined>
  body: string
  status?: number
  /** When it arrived (performance.now() of the test bed's process), for timelines. */
  at?: number
}

/** Which requests of the hostile registry an answer is for; every given field must match. */
export interface ScriptMatch {
  /** registry.hostile.example or other.example (both served by the script); either when absent. */
  host?: string
  method?: string
  /** A string is the exact path (query excluded); a RegExp is tested against the path with its query. */
  path: string | RegExp
}

/**
 * An answer of the hostile registry: a status, headers and a body (chunks are streamed as the client reads them),
 * or 'hang': the connection is accepted and never answered (until the script is reset).
 */
export type ScriptedAnswer =
  | 'hang'
  | { status: number; headers?: Record<string, string>; body?: string | Buffer | Iterable<string | Buffer> }

/**
 * registry.hostile.example, whose answers a test scripts (issue 17), and other.example, another host it may point
 * at, answered by the same script. Unscripted requests get a 404; every request is in `Testbed.requests`.
 */
export interface HostileRegistry {
  readonly host: string
  readonly elsewhere: string
  /** Answers the requests `match` selects with `answer` (or what it returns for each); the first rule that matches wins. */
  script(match: ScriptMatch, answer: ScriptedAnswer | ((req: IncomingMessage) => ScriptedAnswer)): void
  /** Forgets every rule and ends every hanging answer. */
  reset(): void
}

/** Selects logged requests; every given field must match. */
export interface RequestFilter {
  /** Host name, case-insensitive ('management.usgovcloudapi.net'). */
  host?: string
  /** HTTP method, case-insensitive. */
  method?: string
  /** A string is the exact path (query excluded); a RegExp is tested against the path with its query. */
  path?: string | RegExp
}

/** Named request counters, kept as requests arrive (cheap to read), since the test bed started. */
export interface RequestCounters {
  /**
   * Manifest GETs that reached Docker Hub's registry, under any of its names (registry-1.docker.io, docker.io,
   * index.docker.io, registry.hub.docker.com; ACR's import reaches it as docker.io), whatever the answer (the
   * unauthenticated first try that gets the 401 challenge included). Docker Hub's pull limit counts GETs only.
   */
  dockerHubManifestGets: number
  /** Manifest HEADs that reached Docker Hub's registry (free under the pull limit). */
  dockerHubManifestHeads: number
  /** importImage POSTs that reached ARM (any cloud), whatever the answer (a 429 included). */
  importImagePosts: number
  /** GETs of importImage operation results (the long-running operation's polls) that reached ARM. */
  importPolls: number
  /** CONNECT tunnels clients opened through the proxy: each is a new TCP connection and TLS session. */
  proxyTunnels: number
}

/** What `startTestbed()` returns: everything a test or the demo needs to run a client against it. */
export interface Testbed {
  /**
   * Environment a client process needs to reach the test bed by the real host names
   * (login.microsoftonline.com, management.azure.com, *.azurecr.io, registry-1.docker.io, ...):
   * HTTPS_PROXY / https_proxy (the CONNECT proxy), NO_PROXY, NODE_EXTRA_CA_CERTS (the generated CA).
   */
  env: Record<string, string>
  caCertPath: string
  /** PEM (certificate + private key) of each app that has a registered certificate, by key of APPS. */
  appCertificatePem: Record<string, string>
  /** GitHub Actions OIDC: the two runner variables, for a token whose `sub` is `subject`. */
  githubOidc(subject: string): {
    ACTIONS_ID_TOKEN_REQUEST_URL: string
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: string
  }
  /**
   * Azure DevOps: the agent variables for a job whose service connection `serviceConnectionId` federates
   * with `subject` (sc://org/project/name). Returns SYSTEM_OIDCREQUESTURI, SYSTEM_COLLECTIONURI,
   * SYSTEM_TEAMPROJECTID, SYSTEM_PLANID, SYSTEM_JOBID, SYSTEM_HOSTTYPE and the SYSTEMVSSCONNECTION access token.
   */
  adoOidc(
    serviceConnectionId: string,
    subject: string
  ): { variables: Record<string, string>; systemAccessToken: string }
  /** Environment that makes @azure/identity's ManagedIdentityCredential reach the test bed (MANAGED_IDENTITY). */
  managedIdentityEnv: Record<string, string>
  /** Direct client on the distribution server behind a host ('prodacr.azurecr.io', 'docker.io', ...). */
  backend(host: string): OciClient
  faults: Faults
  /** The registry whose answers a test scripts. */
  hostile: HostileRegistry
  /** Every request the fronts received, with headers and bodies (for secret-leak and call-count tests). */
  requests: LoggedRequest[]
  /** Request counter over `requests`: how many matched `filter` so far. */
  count(filter: RequestFilter): number
  /** The named counters (Docker Hub manifest GETs and HEADs, importImage POSTs and polls) as they stand now. */
  counters(): RequestCounters
  /** Every importImage body ARM accepted, in order. */
  imports: { registry: string; body: unknown }[]
  /**
   * Sets changeable attributes of a tag or (for `sha256:...`) a manifest of a fake ACR ('prodacr.azurecr.io'),
   * as `PATCH /acr/v1/...` would, without a token; unset attributes keep their value. Returns the result.
   * The control API's `POST /attributes` does the same.
   */
  setChangeableAttributes(
    host: string,
    repository: string,
    reference: string,
    change: Partial<ChangeableAttributes>
  ): ChangeableAttributes
  /** The changeable attributes of a tag or (for `sha256:...`) a manifest of a fake ACR. */
  changeableAttributes(host: string, repository: string, reference: string): ChangeableAttributes
  stop(): Promise<void>
}

/** An ARM request as its throttling sees it. */
export interface ArmRequestKind {
  kind: 'read' | 'write'
  subscriptionId: string
  /** Object ID of the caller (ARM's "actor"). */
  principalId: string
}

/** What ARM's throttling answers for one request. */
export type ArmThrottleDecision =
  | { allowed: true; header?: { name: string; remaining: number } }
  | { allowed: false; retryAfterSeconds: number }

/** The fault state that the ARM half consumes (the registry half owns the Faults object). */
export interface ArmFaultState {
  /** Takes a token of the request's bucket, if throttling is on. */
  takeArmRequest(request: ArmRequestKind): ArmThrottleDecision
  /** Consumes one queued throttle answer for an importImage POST, if any. */
  takeImportThrottle(): { status: 429 | 503; retryAfterSeconds: number } | undefined
  /** Consumes the queued failure message for the next import, if any. */
  takeImportFailure(): string | undefined
  readonly importsStalled: boolean
  /** The status every import poll answers (faults.failImportPolls), if on. */
  readonly importPollFailure?: 500 | 503
  /** Consumes the image the other writer puts under the next import's tags, if any. */
  takeAnotherWriter(): { repo: string; reference: string } | undefined
  /** Resolves once imports are no longer stalled (at once when they are not). */
  whenImportsUnstalled(): Promise<void>
  readonly importPolls: number
  readonly importRetryAfterSeconds?: number
  readonly importAcceptedRetryAfterSeconds?: number
  readonly importDurationMs: number
  readonly immediateImportAnswers: boolean
}

/** What the registry half hands the Azure half when it builds the Azure host routes. */
export interface AzureHalfContext {
  /** Fake ACRs by lower-case registry name. */
  registries: Map<string, RegistryRuntime>
  /** A client that talks to a registry front by its public host name ('docker.io', 'registry.contoso.com',
   *  'partneracr.azurecr.io'), through the test bed's own TLS server, exactly as ACR's import service would. */
  frontClient(host: string, auth: RegistryAuth): OciClient
  /** Copies `srcRepo@reference` (index with every child manifest and blob) into `dstRepo`, tagging `tags`. */
  copyImage(
    src: OciClient,
    srcRepo: string,
    reference: string,
    dst: OciClient,
    dstRepo: string,
    tags: string[],
    options?: { maxManifests?: number }
  ): Promise<CopyResult>
  faults: ArmFaultState
  /** Folder for generated files (certificates, keys). */
  workDir: string
}

/** What the Azure half gives back: its routes plus the identity checks the ACR data-plane front needs. */
export interface AzureHalf {
  /** login.microsoftonline.com, management.azure.com, the OIDC issuers' hosts, ... */
  routes: HostRoutes
  /** Verifies an Entra access token this test bed issued; undefined when invalid or expired. */
  verifyAccessToken(token: string): { oid: string; tid: string; appid?: string; aud: string } | undefined
  /** True when the principal holds a role granting `action` on `resourceId` (or a parent scope). */
  can(principalObjectId: string, action: string, resourceId: string): boolean
  /** The app's object ID when `appId`/`secret` are a valid client secret (ACR basic auth with an SP). */
  appObjectIdForSecret(appId: string, secret: string): string | undefined
  appCertificatePem: Record<string, string>
  githubOidc: Testbed['githubOidc']
  adoOidc: Testbed['adoOidc']
  managedIdentityEnv: Record<string, string>
  /** The importImage bodies ARM accepted. */
  imports: Testbed['imports']
}
