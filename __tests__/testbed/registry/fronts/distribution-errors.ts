// Distribution-API error answers: `{"errors":[{"code","message","detail"}]}` with the registry's status.
import type { ServerResponse } from 'node:http'
import { sendJson } from '../../net/http-io.js'

export function sendRegistryError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
  detail?: unknown
): void {
  sendJson(
    res,
    status,
    { errors: [{ code, message, ...(detail !== undefined && { detail }) }] },
    {
      'docker-distribution-api-version': 'registry/2.0',
      ...headers
    }
  )
}
