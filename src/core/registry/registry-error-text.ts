import { safeText } from '../log/safe-text.js'

/** A registry's error body `{"errors":[{"code","message"}]}` as short text ("UNAUTHORIZED authentication required"). */
export function registryErrorSummary(body: string | undefined): string | undefined {
  try {
    const first = (JSON.parse(body ?? '') as { errors?: { code?: string; message?: string }[] }).errors?.[0]
    if (first) return safeText(`${first.code ?? ''} ${first.message ?? ''}`.trim())
  } catch {
    // Not JSON (or no body, as for HEAD).
  }
  return undefined
}
