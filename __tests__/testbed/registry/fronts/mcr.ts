// mcr.microsoft.com: anonymous pulls, no auth challenge at all; writes are refused.
import type { HostRoutes } from '../../types.js'
import { forwardToBackend, type TagsPaging } from './backend-proxy.js'
import { sendRegistryError } from './distribution-errors.js'

export function mcrRoutes(backendUrl: string, paging?: TagsPaging): HostRoutes {
  return {
    'mcr.microsoft.com': async (req, res, body) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        sendRegistryError(res, 405, 'UNSUPPORTED', 'The operation is unsupported.')
        return
      }
      await forwardToBackend(backendUrl, req, res, body, paging)
    }
  }
}
