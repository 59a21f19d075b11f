// The environment variables an images file may never name as registry credentials: the runner's and the agent's
// own tokens and the step's sign-in material. Whoever holds ACTIONS_ID_TOKEN_REQUEST_TOKEN mints ID tokens for the
// job's federated Azure identity; AZURE_CLIENT_SECRET is that identity's password. A file that names one of them
// would send it to a registry as a password, so it is refused before any request, whatever the variable holds.

/** The variables by exact name (upper case: Windows' environment ignores case, so names are compared so). */
const RESERVED = new Set([
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_URL',
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_RUNTIME_URL',
  'ACTIONS_CACHE_URL',
  'GITHUB_TOKEN',
  'SYSTEM_ACCESSTOKEN',
  'SYSTEM_OIDCREQUESTURI',
  'AZURE_CLIENT_SECRET',
  'AZURE_FEDERATED_TOKEN_FILE',
  'AZURE_CLIENT_CERTIFICATE_PATH',
  'AZURE_CLIENT_CERTIFICATE_PASSWORD'
])

/** Prefixes: the step's inputs (INPUT_*) and the agent's service connection parameters (ENDPOINT_*). */
const RESERVED_PREFIXES = ['INPUT_', 'ENDPOINT_']

/** What `name` is, when it is reserved ("the runner's or agent's own variable GITHUB_TOKEN"); else undefined. */
export function reservedVariableProblem(name: string): string | undefined {
  const upper = name.toUpperCase()
  if (RESERVED.has(upper)) return `${upper}, a token or sign-in secret of the runner, the agent or the step`
  const prefix = RESERVED_PREFIXES.find((p) => upper.startsWith(p))
  if (prefix === 'INPUT_') return `${upper}, an input of the step (its sign-in material included)`
  if (prefix) return `${upper}, a parameter of the agent's service connections`
  return undefined
}
