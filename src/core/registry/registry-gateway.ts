// The step's one way into OCI registries (Docker Hub, MCR, any other, and ACR sources read with a password or
// an ACR refresh token): one session per repository and identity for the whole step, so every read of a
// repository (the plan's HEAD, a tag listing, referrer lookups) shares one token, asked for once; and a memory
// of what a step needs to learn only once (a repository's tag listing, whether a registry has the referrers API).
import { createHash } from 'node:crypto'
import { sendHttp, type HttpSend } from './http.js'
import { RegistrySession, type RegistryCredentials } from './registry-session.js'

export class RegistryGateway {
  private readonly sessions = new Map<string, RegistrySession>()
  private readonly learned = new Map<string, Promise<unknown>>()
  /** Registry hosts that answered the referrers API with 404: they have none (OCI distribution spec 1.1). */
  readonly withoutReferrersApi = new Set<string>()

  constructor(
    readonly send: HttpSend = sendHttp,
    /** Each request's deadline: the step's `timeout` when that is shorter than a request's usual limit. */
    readonly requestTimeoutMs?: number
  ) {}

  /**
   * The session for `repository` on `host` as `credentials` (anonymous without). Credentials are part of the
   * key, hashed: two identities never share a token, and a password never becomes part of a printable key.
   */
  session(host: string, repository: string, credentials?: RegistryCredentials): RegistrySession {
    const identity = credentials
      ? createHash('sha256')
          .update(`${credentials.username ?? ''}\n${credentials.password}`)
          .digest('hex')
      : 'anonymous'
    const key = `${host.toLowerCase()}/${repository}#${identity}`
    let session = this.sessions.get(key)
    if (!session) {
      session = new RegistrySession({ repository, credentials, timeoutMs: this.requestTimeoutMs }, this.send)
      this.sessions.set(key, session)
    }
    return session
  }

  /**
   * What `key` answers, asked once per step: later callers get the same answer (or wait for it). An answer
   * that failed is forgotten, so the next caller asks again.
   */
  once<T>(key: string, ask: () => Promise<T>): Promise<T> {
    let answer = this.learned.get(key) as Promise<T> | undefined
    if (!answer) {
      answer = ask()
      this.learned.set(key, answer)
      answer.catch(() => this.learned.delete(key))
    }
    return answer
  }
}
