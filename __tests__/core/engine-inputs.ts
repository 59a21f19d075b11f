// The engine inputs, found by watching the core read them (not by reading its source text): both manifests
// (action.yml in kebab-case, task.json in camelCase) must declare exactly these plus their own sign-in inputs.
import { readRequest } from '../../src/core/request/read-request.js'

/** Every input name readRequest asks the host for, by action.yml name. */
export function engineInputNames(): string[] {
  const names = new Set<string>()
  const valid: Record<string, string> = { registry: 'prodacr', source: 'nginx' }
  readRequest((name) => {
    names.add(name)
    return valid[name] ?? ''
  })
  return [...names].sort()
}

/** The outputs runStep sets, by action.yml name. */
export const ENGINE_OUTPUTS = ['digest', 'results', 'target-image', 'changed']
