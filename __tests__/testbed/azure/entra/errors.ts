// Entra ID (AADSTS) error answers, in the body shape and with the HTTP status the real token endpoint uses, so
// that MSAL and @azure/identity surface them exactly as they would in production.
import { randomUUID } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import { sendJson } from '../http.js'

export type OAuthError =
  | 'invalid_client'
  | 'unauthorized_client'
  | 'invalid_request'
  | 'invalid_resource'
  | 'invalid_scope'
  | 'unsupported_grant_type'

export class EntraError extends Error {
  constructor(
    readonly httpStatus: 400 | 401,
    readonly error: OAuthError,
    readonly aadsts: number,
    readonly description: string
  ) {
    super(`AADSTS${aadsts}: ${description}`)
    this.name = 'EntraError'
  }
}

/** `2026-01-31 12:34:56Z`, the timestamp format Entra writes. */
const entraTimestamp = (date = new Date()): string => `${date.toISOString().slice(0, 19).replace('T', ' ')}Z`

export function sendEntraError(res: ServerResponse, err: EntraError, host: string): void {
  const traceId = randomUUID()
  const correlationId = randomUUID()
  const timestamp = entraTimestamp()
  sendJson(res, err.httpStatus, {
    error: err.error,
    error_description: `AADSTS${err.aadsts}: ${err.description}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [err.aadsts],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://${host}/error?code=${err.aadsts}`
  })
}

/** ISO time with seven fractional digits, as in AADSTS700024's text. */
export const entraTime = (seconds: number): string =>
  `${new Date(seconds * 1000).toISOString().slice(0, 19)}.0000000Z`
