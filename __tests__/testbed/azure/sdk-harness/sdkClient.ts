// Test-side driver of child.mjs: one long-lived child process per test file, started with the test bed's
// environment, that runs real @azure/identity and @azure/arm-containerregistry calls on request.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { stopChild } from '../../stop-child.js'

const RESULT_PREFIX = '@@sdk-result '
const CHILD = join(dirname(fileURLToPath(import.meta.url)), 'child.mjs')

export type CredentialSpec =
  | { kind: 'secret'; tenantId: string; clientId: string; secret: string; authorityHost?: string }
  | { kind: 'certificate'; tenantId: string; clientId: string; pem: string; authorityHost?: string }
  | { kind: 'githubOidc'; tenantId: string; clientId: string; audience?: string }
  | { kind: 'assertion'; tenantId: string; clientId: string; assertion: string }
  | {
      kind: 'pipelines'
      tenantId: string
      clientId: string
      serviceConnectionId: string
      systemAccessToken: string
    }
  | { kind: 'managed'; clientId?: string }

export type SdkAction =
  | { kind: 'getToken'; scope: string }
  /** The GitHub job's ID token, fetched by @actions/core getIDToken (needs no credential). */
  | { kind: 'githubIdToken'; audience?: string }
  /** A raw HTTPS request through the SDK pipeline (proxy and CA of the test bed), no retries. */
  | { kind: 'http'; method?: string; url: string; headers?: Record<string, string>; body?: string }
  | {
      kind: 'registriesGet'
      subscriptionId: string
      resourceGroup: string
      name: string
      clientOptions?: ArmOptions
    }
  | { kind: 'registriesList'; subscriptionId: string; resourceGroup?: string; clientOptions?: ArmOptions }
  | {
      kind: 'importImage'
      clientOptions?: ArmOptions
      subscriptionId: string
      resourceGroup: string
      name: string
      parameters: unknown
      updateIntervalInMs?: number
    }

/** ContainerRegistryManagementClient options that can cross the process boundary. */
export interface ArmOptions {
  endpoint?: string
  credentials?: { scopes?: string[] }
  retryOptions?: { maxRetries?: number }
}

export interface HttpAnswer {
  status: number
  headers: Record<string, string>
  body: string
}

export interface SdkError {
  name?: string
  message: string
  code?: string
  statusCode?: number
}

export type SdkAnswer<T = unknown> = { ok: true; value: T } | { ok: false; error: SdkError }

export class SdkClient {
  private readonly child: ChildProcessWithoutNullStreams
  private readonly pending = new Map<number, (answer: SdkAnswer) => void>()
  private nextId = 1
  private stderr = ''

  constructor(env: Record<string, string>) {
    this.child = spawn(process.execPath, [CHILD], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['pipe', 'pipe', 'pipe']
    })
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()))
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      if (!line.startsWith(RESULT_PREFIX)) return
      const { id, ...answer } = JSON.parse(line.slice(RESULT_PREFIX.length)) as SdkAnswer & { id: number }
      this.pending.get(id)?.(answer)
      this.pending.delete(id)
    })
    this.child.on('exit', (code) => {
      for (const resolve of this.pending.values()) {
        resolve({ ok: false, error: { message: `SDK child exited (${code}): ${this.stderr}` } })
      }
      this.pending.clear()
    })
  }

  /** Runs one SDK call; `env` holds job variables (OIDC request URLs, identity endpoint) for this call only. */
  run<T = unknown>(
    credential: CredentialSpec | undefined,
    action: SdkAction,
    env: Record<string, string> = {}
  ): Promise<SdkAnswer<T>> {
    const id = this.nextId++
    return new Promise((resolve) => {
      this.pending.set(id, resolve as (answer: SdkAnswer) => void)
      this.child.stdin.write(`${JSON.stringify({ id, credential, action, env })}\n`)
    })
  }

  /** Ends the child (closing its stdin ends its request loop) and resolves once it has exited. */
  close(): Promise<void> {
    return stopChild(this.child, () => this.child.stdin.end())
  }
}
