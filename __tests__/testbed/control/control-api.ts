// The test bed's control API: fault injection and the request log over HTTP, for whoever drives a test bed
// from another process (`npm run testbed` by hand, the demo and bench scripts). It is one more host of the
// HTTPS server, reached like the others through the proxy and trusting the test bed CA:
//   POST https://control.testbed.internal/faults/<command>   JSON body, 204 (see fault-commands.ts)
//   GET  https://control.testbed.internal/requests?host=&method=&path=   the logged requests, bodies included
//   GET  https://control.testbed.internal/count?host=&method=&path=      {"count": n}
//   GET  https://control.testbed.internal/counters                       the named counters (testbed.counters())
//   POST https://control.testbed.internal/attributes   {"registry":"prodacr.azurecr.io","repository":"app",
//        "reference":"<tag or sha256:...>", and any of writeEnabled, deleteEnabled, readEnabled, listEnabled}
//        sets ACR changeable attributes (testbed.setChangeableAttributes); 200 with the resulting attributes
// Bad input is answered 400 with a one-line text error, an unknown path 404. The router serves this host
// outside the request log and the injected faults, so controlling the test bed never changes what it records.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { sendJson } from '../net/http-io.js'
import { matchingRequests, type RequestCounterSet } from '../request-count.js'
import type { ChangeableAttributes, Faults, HostHandler, LoggedRequest, RequestFilter } from '../types.js'
import { FAULT_COMMANDS } from './fault-commands.js'
import { BadRequest, JsonFields } from './json-fields.js'

export const CONTROL_HOST = 'control.testbed.internal'

const FILTER_PARAMETERS = ['host', 'method', 'path']

/** Sets (or, without `change`, reads) ACR changeable attributes; throws when the host is not a fake ACR. */
export type AttributesControl = (
  host: string,
  repository: string,
  reference: string,
  change?: Partial<ChangeableAttributes>
) => ChangeableAttributes

const ATTRIBUTE_FIELDS = ['writeEnabled', 'deleteEnabled', 'readEnabled', 'listEnabled'] as const

/** POST /attributes: the target, and the attributes to set (at least one). */
function setAttributes(body: Buffer, attributes: AttributesControl): ChangeableAttributes {
  const fields = JsonFields.parse(body, ['registry', 'repository', 'reference', ...ATTRIBUTE_FIELDS])
  const [registry, repository, reference] = [
    fields.string('registry'),
    fields.string('repository'),
    fields.string('reference')
  ]
  const change: Partial<ChangeableAttributes> = {}
  for (const name of ATTRIBUTE_FIELDS) if (fields.has(name)) change[name] = fields.boolean(name)
  if (!Object.keys(change).length)
    throw new BadRequest(`Give at least one of ${ATTRIBUTE_FIELDS.join(', ')}.`)
  try {
    return attributes(registry, repository, reference, change)
  } catch (error) {
    throw new BadRequest(error instanceof Error ? error.message : String(error))
  }
}

/** The request filter of `?host=&method=&path=`: an empty or absent parameter does not filter; `path` is exact. */
function filterOf(query: URLSearchParams): RequestFilter {
  const unknown = [...query.keys()].find((name) => !FILTER_PARAMETERS.includes(name))
  if (unknown)
    throw new BadRequest(`Unknown parameter '${unknown}' (expected: ${FILTER_PARAMETERS.join(', ')}).`)
  const value = (name: string) => query.get(name) || undefined
  return { host: value('host'), method: value('method'), path: value('path') }
}

function sendText(
  res: ServerResponse,
  status: number,
  line: string,
  headers: Record<string, string> = {}
): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers })
  res.end(line + '\n')
}

function route(
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  faults: Faults,
  requests: readonly LoggedRequest[],
  counters: RequestCounterSet,
  attributes: AttributesControl
): void {
  const url = new URL(req.url ?? '/', `https://${CONTROL_HOST}`)
  const method = req.method ?? 'GET'
  const command = url.pathname.startsWith('/faults/')
    ? FAULT_COMMANDS.get(url.pathname.slice('/faults/'.length))
    : undefined
  const allowed =
    command || url.pathname === '/attributes'
      ? 'POST'
      : ['/requests', '/count', '/counters'].includes(url.pathname)
        ? 'GET'
        : undefined
  if (!allowed) {
    sendText(
      res,
      404,
      `No control endpoint ${url.pathname}: use POST /faults/<command>, POST /attributes, GET /requests, GET /count or GET /counters.`
    )
    return
  }
  if (method !== allowed) {
    sendText(res, 405, `${url.pathname} takes ${allowed}.`, { allow: allowed })
    return
  }
  if (command) {
    command.apply(faults, JsonFields.parse(body, command.fields))
    res.writeHead(204).end()
    return
  }
  if (url.pathname === '/attributes') {
    sendJson(res, 200, setAttributes(body, attributes))
    return
  }
  if (url.pathname === '/counters') {
    if ([...url.searchParams.keys()].length) throw new BadRequest('/counters takes no parameters.')
    sendJson(res, 200, counters.snapshot())
    return
  }
  const selected = matchingRequests(requests, filterOf(url.searchParams))
  sendJson(res, 200, url.pathname === '/count' ? { count: selected.length } : selected)
}

export function controlApi(
  faults: Faults,
  requests: readonly LoggedRequest[],
  counters: RequestCounterSet,
  attributes: AttributesControl
): HostHandler {
  return (req, res, body) => {
    try {
      route(req, res, body, faults, requests, counters, attributes)
    } catch (error) {
      if (!(error instanceof BadRequest)) throw error
      sendText(res, 400, error.message)
    }
  }
}
