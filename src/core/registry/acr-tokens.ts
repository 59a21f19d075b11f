// ACR's token exchange done once per registry for the whole step, instead of once per SDK client (Azure/acr
// AAD-OAuth.md; ../shared/reference/acr-import-api.md 5.2). Our Entra token buys one ACR refresh token per registry
// (`POST /oauth2/exchange`), and the refresh token buys access tokens for several repositories at once: ACR's
// `POST /oauth2/token` takes `scope` more than once ("can be specified more than once for multiple scope
// requests", the Access Tokens - Get reference). Left to itself, each of the SDK's per-repository clients meets a
// 401, exchanges, and asks for a token before its first read: four round trips where one does.
// `preAuthorizationPolicy` puts these tokens on the SDK's requests before they go; a request ACR refuses anyway
// still meets the SDK's own challenge handling, so every error reads as it did without us.
import type { TokenCredential } from '@azure/core-auth'
import type { PipelinePolicy } from '@azure/core-rest-pipeline'
import { decodeAssertionClaims } from '../errors/assertion-claims.js'
import { acrRefreshToken, AcrExchangeError } from './acr-refresh-token.js'
import { sendHttp, type HttpSend } from './http.js'

/** Tokens are renewed this long before they expire (the SDK's own margin). */
const RENEW_BEFORE_MS = 5 * 60_000
/** A token whose expiry cannot be read is trusted this long. */
const UNKNOWN_LIFETIME_MS = 5 * 60_000
/** Scopes asked for in one token request (a form body of a few kilobytes). */
const MAX_SCOPES_PER_REQUEST = 32

interface Expiring {
  value: string
  renewAt: number
}

/** A cached token: its request, and once answered, when to ask again. */
interface Cached {
  token: Promise<Expiring | undefined>
  renewAt?: number
}

interface Waiter {
  scope: string
  signal?: AbortSignal
  answer(token: Expiring | undefined): void
}

export class AcrTokens {
  private readonly refreshTokens = new Map<string, Cached>()
  /** Registries whose token service refused the exchange (401/403): the SDK's own handling reports it. */
  private readonly refused = new Set<string>()
  private readonly accessTokens = new Map<string, Cached>()
  /** Per registry, the scopes asked for since the last token request went out. */
  private readonly waiting = new Map<string, Waiter[]>()

  constructor(
    private readonly credential: TokenCredential,
    private readonly audience: string,
    private readonly send: HttpSend = sendHttp,
    private readonly now: () => number = Date.now
  ) {}

  /**
   * The registry's refresh token, exchanged once per step (again near its expiry). A failed exchange rejects
   * with its AcrExchangeError and is not kept: the next caller tries again.
   */
  async refreshToken(loginServer: string, signal?: AbortSignal): Promise<string> {
    const token = this.cached(this.refreshTokens, loginServer, () =>
      acrRefreshToken(loginServer, this.credential, this.audience, signal, this.send).then(
        (value) => expiring(value, this.now()),
        (err: unknown) => {
          if (err instanceof AcrExchangeError && (err.status === 401 || err.status === 403))
            this.refused.add(loginServer)
          throw err
        }
      )
    )
    return (await token)!.value
  }

  /**
   * `Bearer <access token>` for `scope` (`repository:<name>:<actions>`) on `loginServer`, or undefined when no
   * token could be had. Scopes asked for together go out in one token request.
   */
  async authorization(loginServer: string, scope: string, signal?: AbortSignal): Promise<string | undefined> {
    if (this.refused.has(loginServer)) return undefined
    const token = await this.cached(
      this.accessTokens,
      `${loginServer} ${scope}`,
      () =>
        new Promise<Expiring | undefined>((answer) => this.enqueue(loginServer, { scope, signal, answer }))
    )
    return token && `Bearer ${token.value}`
  }

  /** The cached token for `key`, asked for again once it nears expiry; no answer is kept only until it settles. */
  private cached(
    cache: Map<string, Cached>,
    key: string,
    ask: () => Promise<Expiring | undefined>
  ): Promise<Expiring | undefined> {
    const found = cache.get(key)
    if (found && (found.renewAt === undefined || found.renewAt > this.now())) return found.token
    const entry: Cached = { token: ask() }
    cache.set(key, entry)
    entry.token.then(
      (token) => {
        if (token) entry.renewAt = token.renewAt
        else if (cache.get(key) === entry) cache.delete(key)
      },
      () => {
        if (cache.get(key) === entry) cache.delete(key)
      }
    )
    return entry.token
  }

  private enqueue(loginServer: string, waiter: Waiter): void {
    const queue = this.waiting.get(loginServer)
    if (queue) {
      queue.push(waiter)
      return
    }
    this.waiting.set(loginServer, [waiter])
    // Everything asked for before the next turn of the event loop shares the request.
    setImmediate(() => {
      const waiters = this.waiting.get(loginServer) ?? []
      this.waiting.delete(loginServer)
      for (let i = 0; i < waiters.length; i += MAX_SCOPES_PER_REQUEST)
        void this.requestTokens(loginServer, waiters.slice(i, i + MAX_SCOPES_PER_REQUEST))
    })
  }

  private async requestTokens(loginServer: string, waiters: Waiter[]): Promise<void> {
    // The request serves every waiter: it is given up only when all of them have given up.
    const abandoned = new AbortController()
    let left = waiters.length
    const giveUp = () => --left === 0 && abandoned.abort()
    const listened: AbortSignal[] = []
    for (const { signal } of waiters) {
      if (!signal) continue
      if (signal.aborted) giveUp()
      else {
        signal.addEventListener('abort', giveUp, { once: true })
        listened.push(signal)
      }
    }
    let token: Expiring | undefined
    try {
      const refreshToken = await this.refreshToken(loginServer, abandoned.signal)
      const body = new URLSearchParams({
        grant_type: 'refresh_token',
        service: loginServer,
        refresh_token: refreshToken
      })
      for (const { scope } of waiters) body.append('scope', scope)
      const response = await this.send({
        method: 'POST',
        url: `https://${loginServer}/oauth2/token`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: body.toString(),
        signal: abandoned.signal
      })
      const value = response.status === 200 ? accessTokenOf(response.body) : undefined
      token = value ? expiring(value, this.now()) : undefined
    } catch {
      // No token (the exchange or the request failed): each request goes out as the SDK would send it, and the
      // SDK's challenge handling reports what is wrong.
    } finally {
      // The step's signal outlives the request: a listener left on it for each request would pile up.
      for (const signal of listened) signal.removeEventListener('abort', giveUp)
    }
    for (const waiter of waiters) waiter.answer(token)
  }
}

/**
 * Puts a token from `tokens` on each ACR data-plane request of an SDK client before it goes, so the client never
 * meets the 401 that would make it exchange and ask on its own. The SDK's authentication policy runs after this
 * one: once a challenge got it a token of its own, that token replaces ours. The token service's own requests
 * have no scope here and are left alone.
 */
export function preAuthorizationPolicy(tokens: AcrTokens): PipelinePolicy {
  return {
    name: 'acrImportPreAuthorizationPolicy',
    async sendRequest(request, next) {
      const url = new URL(request.url)
      const scope = scopeOf(request.method, url.pathname)
      if (scope) {
        const authorization = await tokens.authorization(
          url.host,
          scope,
          request.abortSignal as AbortSignal | undefined
        )
        if (authorization) request.headers.set('authorization', authorization)
      }
      return next(request)
    }
  }
}

/**
 * The scope ACR's challenge names for a request of the metadata API (`/acr/v1/<name>/_tags…`,
 * `/acr/v1/<name>/_manifests…`): metadata_read to read, metadata_write to change attributes, delete to delete.
 */
export function scopeOf(method: string, path: string): string | undefined {
  const match = /^\/acr\/v1\/([^/]+)\/_(?:tags|manifests)(?:\/|$)/.exec(path)
  if (!match || match[1] === '_catalog') return undefined
  const action = { GET: 'metadata_read', PATCH: 'metadata_write', DELETE: 'delete' }[method]
  return action && `repository:${decodeURIComponent(match[1])}:${action}`
}

function expiring(token: string, now: number): Expiring {
  const exp = decodeAssertionClaims(token)?.exp
  const expiresAt = exp !== undefined ? exp * 1000 : now + UNKNOWN_LIFETIME_MS + RENEW_BEFORE_MS
  return { value: token, renewAt: expiresAt - RENEW_BEFORE_MS }
}

function accessTokenOf(body: string): string | undefined {
  try {
    const token = (JSON.parse(body) as { access_token?: unknown }).access_token
    return typeof token === 'string' && token ? token : undefined
  } catch {
    return undefined
  }
}
