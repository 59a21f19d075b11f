// ARM's error envelope {"error":{"code","message"}}, thrown by handlers and answered by the router.
import type { ServerResponse } from 'node:http'
import { sendJson } from '../http.js'

export class ArmError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {}
  ) {
    super(message)
    this.name = 'ArmError'
  }
}

export function sendArmError(res: ServerResponse, err: ArmError): void {
  sendJson(res, err.status, { error: { code: err.code, message: err.message } }, err.headers)
}

export const invalidParameter = (message: string): ArmError => new ArmError(400, 'InvalidParameter', message)
