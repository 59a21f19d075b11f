// Dispatches a request to the handler of its Host, after the injected faults (reset, latency), and records
// it in the request log. Used by the HTTPS server and by the proxy for plain-HTTP absolute-URI requests.
// Control routes (the control API) skip both: setting a fault or reading the log must neither be slowed or
// reset by the faults it sets nor show up in the counts it reads.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { TLSSocket } from 'node:tls'
import type { FaultState } from '../faults.js'
import type { RequestCounterSet } from '../request-count.js'
import type { HostHandler, HostRoutes, LoggedRequest } from '../types.js'
import { hostMatches } from './hosts.js'
import { hostOf, readBody, sendJson } from './http-io.js'

export class HostRouter {
  constructor(
    private readonly routes: HostRoutes,
    private readonly faults: FaultState,
    readonly requests: LoggedRequest[],
    private readonly controlRoutes: HostRoutes = {},
    private readonly counters?: RequestCounterSet
  ) {}

  /** The handler serving `host`: a control route, an exact route, then a `*.` wildcard. */
  handlerFor(host: string): HostHandler | undefined {
    const name = host.toLowerCase()
    if (Object.hasOwn(this.controlRoutes, name)) return this.controlRoutes[name]
    if (this.routes[name]) return this.routes[name]
    const wildcard = Object.keys(this.routes).find((pattern) => hostMatches(pattern, name))
    return wildcard ? this.routes[wildcard] : undefined
  }

  hostNames(): string[] {
    return Object.keys(this.routes)
  }

  async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req)
    const host = hostOf(req)
    if (Object.hasOwn(this.controlRoutes, host)) return this.serve(this.controlRoutes[host], req, res, body)
    const entry: LoggedRequest = {
      host,
      scheme: (req.socket as TLSSocket).encrypted ? 'https' : 'http',
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: { ...req.headers },
      body: body.toString('utf8'),
      at: performance.now()
    }
    this.requests.push(entry)
    this.counters?.observe(entry)
    res.on('finish', () => (entry.status = res.statusCode))

    if (this.faults.takeConnectionReset(host, entry.url)) {
      req.socket.destroy()
      return
    }
    const throttledFor = this.faults.takeHostThrottle(host, entry.url)
    if (throttledFor !== undefined) {
      sendJson(
        res,
        429,
        { errors: [{ code: 'TOOMANYREQUESTS', message: 'too many requests', detail: null }] },
        { 'retry-after': String(throttledFor) }
      )
      return
    }
    const delay = this.faults.latencyFor(host)
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay))

    const handler = this.handlerFor(host)
    if (!handler) {
      sendJson(res, 421, {
        error: { code: 'MisdirectedRequest', message: `The test bed serves no host '${host}'.` }
      })
      return
    }
    await this.serve(handler, req, res, body)
  }

  private async serve(
    handler: HostHandler,
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer
  ): Promise<void> {
    try {
      await handler(req, res, body)
    } catch (error) {
      // A handler bug must show up as a 500 with its message, not as a hung client.
      if (!res.headersSent) {
        sendJson(res, 500, {
          error: { code: 'TestbedError', message: String((error as Error)?.stack ?? error) }
        })
      } else res.destroy()
    }
  }
}
