// Reads the engine's inputs through the host port by their action.yml names. Both hosts share this one reader,
// so an input means the same on both and is checked by the same rule. Defaults are applied here too: a task run
// outside the agent, or an action run outside the runner, may leave an input unset.
import { isAbsolute, resolve } from 'node:path'
import { parseTagsInput } from './tag-pattern.js'
import { UserError } from '../errors/user-error.js'
import type { Shard, StepRequest } from './step-request.js'

/** An import that runs longer than this is stuck (a known ACR failure), and Node's timers end at 2^31-1 ms. */
export const MAX_TIMEOUT_SECONDS = 6 * 60 * 60
const DEFAULT_TIMEOUT_SECONDS = 600
/** More imports in flight than ARM's write burst (200) could only be throttled. */
export const MAX_CONCURRENCY = 200

/** Where the engine's inputs come from (the host port implements it). */
export interface InputSource {
  /**
   * The value of an engine input, by its action.yml name (`dry-run`, `images-file`); '' when unset. A host with
   * other naming rules translates (Azure Pipelines: `dryRun`). A secret input is read without being echoed.
   */
  input(name: string, options?: { secret?: boolean }): string
}

type ReadInput = InputSource['input']

/** @param workspace the folder a relative `images-file` (or `trust-policy`) is relative to. */
export function readRequest(input: ReadInput, workspace = process.cwd()): StepRequest {
  const text = (name: string): string | undefined => input(name).trim() || undefined
  const registry = text('registry')
  if (!registry) throw new UserError("Input 'registry' is required", 'set it to the target registry')
  const sourceLines = lines(input('source'))
  const imagesFile = text('images-file')
  const trustPolicy = text('trust-policy')
  const inWorkspace = (path: string) => (isAbsolute(path) ? path : resolve(workspace, path))
  if (sourceLines.length === 0 && !imagesFile) {
    throw new UserError(
      "Give the images to import: input 'source' or an images file ('images-file'; 'imagesFile' in Azure Pipelines)",
      'set source to an image reference, e.g. docker.io/library/nginx:1.27, or images-file to a YAML file of images'
    )
  }
  const username = text('username')
  const password = input('password', { secret: true }).trim() || undefined
  if (username && !password) {
    throw new UserError(
      'Authentication failed: a username needs a password',
      'pass the password (or access token) of the source registry too, or drop the username'
    )
  }
  return {
    registry,
    sourceLines,
    sourceRegistry: text('source-registry'),
    images: lines(input('image')),
    repositories: lines(input('repository')),
    credentials: password ? { username, password } : undefined,
    force: booleanInput(input, 'force', false),
    wait: booleanInput(input, 'wait', true),
    timeoutSeconds: secondsInput(input, 'timeout'),
    dryRun: booleanInput(input, 'dry-run', false),
    imagesFile: imagesFile && inWorkspace(imagesFile),
    trustPolicy: trustPolicy && inWorkspace(trustPolicy),
    concurrency: concurrencyInput(input('concurrency').trim()),
    skipUnchanged: booleanInput(input, 'skip-unchanged', true),
    failFast: booleanInput(input, 'fail-fast', false),
    referrers: booleanInput(input, 'referrers', true),
    lock: booleanInput(input, 'lock', false),
    shard: shardInput(input('shard').trim()),
    tags: parseTagsInput(input('tags'))
  }
}

function concurrencyInput(text: string): 'auto' | number {
  if (!text || text.toLowerCase() === 'auto') return 'auto'
  const value = Number(text)
  if (!/^\d+$/.test(text) || value < 1 || value > MAX_CONCURRENCY) {
    throw new UserError(
      `Input 'concurrency' must be auto or a whole number from 1 to ${MAX_CONCURRENCY}, not '${text}'`,
      'auto adapts to throttling; a number caps the imports in flight'
    )
  }
  return value
}

function shardInput(text: string): Shard | undefined {
  if (!text) return undefined
  const match = /^(\d+)\s*\/\s*(\d+)$/.exec(text)
  const [index, count] = match ? [Number(match[1]), Number(match[2])] : [0, 0]
  // Past 2^53 a number is no longer exact (99999999999999999999999 reads as 1e23): no entry would be kept.
  const exact = Number.isSafeInteger(index) && Number.isSafeInteger(count)
  if (!match || !exact || count < 1 || index < 1 || index > count) {
    throw new UserError(
      `Input 'shard' must be i/n with 1 <= i <= n, not '${text}'`,
      'e.g. shard: 2/4 for the second of four jobs (GitHub: ${{ matrix.shard }}/4; Azure Pipelines: $(System.JobPositionInPhase)/$(System.TotalJobsInPhase))'
    )
  }
  return { index, count }
}

/** One value per line; blank lines are ignored. */
function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
}

function booleanInput(input: ReadInput, name: string, defaultValue: boolean): boolean {
  const text = input(name).trim()
  if (!text) return defaultValue
  if (/^true$/i.test(text)) return true
  if (/^false$/i.test(text)) return false
  throw new UserError(`Input '${name}' must be true or false, not '${text}'`)
}

function secondsInput(input: ReadInput, name: string): number {
  const text = input(name).trim()
  if (!text) return DEFAULT_TIMEOUT_SECONDS
  const seconds = Number(text)
  if (!/^\d+$/.test(text) || seconds <= 0) {
    throw new UserError(`Input '${name}' must be a whole number of seconds above 0, not '${text}'`)
  }
  if (seconds > MAX_TIMEOUT_SECONDS) {
    throw new UserError(
      `Input '${name}' is ${text} seconds, more than the longest an import may take (${MAX_TIMEOUT_SECONDS} s, 6 hours)`,
      'an import that runs longer is stuck; use a smaller timeout'
    )
  }
  return seconds
}
