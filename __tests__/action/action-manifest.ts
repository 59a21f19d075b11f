// Reads the repository's action.yml, as the runner does, so tests emulate exactly what a workflow step gets:
// every input's default as an INPUT_<NAME> variable (upper case, hyphens kept).
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

export const ACTION_YML = fileURLToPath(new URL('../../action.yml', import.meta.url))

interface ActionManifest {
  inputs: Record<string, { required?: boolean; default?: string }>
  outputs: Record<string, { description: string }>
  runs: { using: string; main: string }
}

export function readActionManifest(): ActionManifest {
  return parse(readFileSync(ACTION_YML, 'utf8')) as ActionManifest
}

export const inputVariable = (name: string): string => `INPUT_${name.replace(/ /g, '_').toUpperCase()}`

/** INPUT_* variables for `inputs` on top of action.yml's defaults, as the runner sets them. */
export function inputEnvironment(inputs: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [name, spec] of Object.entries(readActionManifest().inputs)) {
    if (spec.default !== undefined) env[inputVariable(name)] = String(spec.default)
  }
  for (const [name, value] of Object.entries(inputs)) env[inputVariable(name)] = value
  return env
}

/** Replaces every INPUT_* variable of this process with `inputs` on top of action.yml's defaults. */
export function useInputs(inputs: Record<string, string>): void {
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key]
  Object.assign(process.env, inputEnvironment(inputs))
}
