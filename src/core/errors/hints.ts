// The hints users need for the failures ACR import is known for (see reference §6). Each rule looks at the
// service that answered, the error's code, HTTP status and text; the first that matches gives the hint.
import type { AnsweringService } from './answering-service.js'

export const IMPORTER_ROLE = 'Container Registry Data Importer and Data Reader'

export interface ErrorFacts {
  code: string
  status?: number
  text: string
  /** The service that answered (from the request's URL), when known. */
  service?: AnsweringService
  /** Its host name, for the hint. */
  host?: string
}

interface HintRule {
  matches: (facts: ErrorFacts) => boolean
  hint: string | ((facts: ErrorFacts) => string)
}

/** A connection that broke or never answered (a TLS or name error keeps its own hint). */
const CONNECTION_FAULTS = [
  'ECONNRESET',
  'ETIMEDOUT',
  'ECONNREFUSED',
  'EPIPE',
  'ECONNABORTED',
  'REQUEST_SEND_ERROR'
]

const has = (text: string, ...needles: string[]): boolean =>
  needles.some((needle) => text.toLowerCase().includes(needle.toLowerCase()))

const HINT_RULES: HintRule[] = [
  {
    // ACR's answer to a write onto a tag or manifest whose writeEnabled is false (`lock: true` sets it).
    matches: (f) => has(f.text, 'operation is disallowed on this registry'),
    hint:
      'the target tag is locked (write-enabled false, as lock: true leaves it); unlock it with ' +
      'az acr repository update --name <registry> --image <repository>:<tag> --write-enabled true, or import to another tag'
  },
  {
    matches: (f) => has(f.text, 'already exists'),
    hint: 'the target tag exists and is not overwritten without force; use force: true to overwrite it'
  },
  {
    matches: (f) => f.code === 'LinkedAuthorizationFailed' || has(f.text, 'linked scope'),
    hint: `grant the signed-in identity read on the source registry (e.g. the role "${IMPORTER_ROLE}" or Reader on it)`
  },
  {
    matches: (f) =>
      f.code === 'AuthorizationFailed' || (f.status === 403 && has(f.text, 'authorization to perform')),
    hint: `grant the signed-in identity "${IMPORTER_ROLE}" (or Contributor) on the target registry`
  },
  {
    matches: (f) => f.code === 'SubscriptionRequestsThrottled' || (f.service === 'arm' && f.status === 429),
    hint:
      'Azure Resource Manager throttled the requests of this subscription (not the source registry); raise timeout ' +
      'so throttled imports wait longer, lower concurrency, or run fewer jobs against the subscription at once'
  },
  {
    matches: (f) => f.service === 'entra-id' && f.status === 429,
    hint: 'Entra ID throttled the token requests; run the step again later, or run fewer jobs with this identity at once'
  },
  {
    matches: (f) => (f.service === 'acr' || f.service === 'acr-token') && f.status === 429,
    hint: (f) =>
      `the registry ${f.host ?? ''} throttled its data plane (ACR limits operations a minute by SKU); lower concurrency, or run the step again later`
  },
  {
    matches: (f) =>
      f.service === 'acr-token' &&
      (f.status === undefined ? CONNECTION_FAULTS.includes(f.code) : f.status >= 500),
    hint: (f) =>
      `the token service of ${f.host ?? 'the registry'} did not answer (a service or network fault, not a permission problem); run the step again`
  },
  {
    matches: (f) => f.service === 'arm' && f.status !== undefined && f.status >= 500,
    hint: 'Azure Resource Manager had a fault; run the step again (an import that was sent may have completed: check the target tags)'
  },
  {
    matches: (f) =>
      (f.service === 'docker-hub' && (f.status === 429 || has(f.text, 'TOOMANYREQUESTS'))) ||
      // An import's failure (ARM answers 400) whose text says the source registry refused the pull.
      (f.status !== 429 && has(f.text, 'TOOMANYREQUESTS', 'pull rate limit')),
    hint: 'Docker Hub limits anonymous pulls; pass a Docker Hub username and an access token as username/password'
  },
  {
    matches: (f) => f.status === 429,
    hint: (f) =>
      `${f.host ?? 'the service'} asked to slow down (HTTP 429); lower concurrency, or run the step again later`
  },
  {
    matches: (f) => has(f.text, 'DENIED', 'Forbidden', 'not allowed access', 'is not allowed'),
    hint:
      'the source registry refused access; if it is network-restricted, enable "Allow trusted Microsoft services" on it ' +
      'and pass it by resource ID as the source registry (input source-registry, or sourceRegistry in Azure Pipelines); otherwise check the source credentials'
  },
  {
    matches: (f) => has(f.text, 'UNAUTHORIZED', 'authentication required', 'unauthorized'),
    hint: 'the source registry needs credentials; pass username and password (a token) for it'
  },
  {
    matches: (f) => f.code === 'ResourceNotFound' || f.code === 'ResourceGroupNotFound',
    hint: 'check the registry name and the subscription'
  },
  {
    matches: (f) =>
      has(f.text, 'MANIFEST_UNKNOWN', 'NAME_UNKNOWN', 'manifest unknown', 'not found', 'cannot be found'),
    hint: 'check the source repository and tag (or digest) exist in the source registry'
  },
  {
    matches: (f) => has(f.text, 'copying blobs', 'RFC 7233', 'Docker-Content-Digest'),
    hint: 'the source registry may not support what import needs (Range requests, Docker-Content-Digest); try another mirror of the image'
  }
]

/** The hint for an error, or undefined when no rule knows it. */
export function hintFor(facts: ErrorFacts): string | undefined {
  const hint = HINT_RULES.find((rule) => rule.matches(facts))?.hint
  return typeof hint === 'function' ? hint(facts) : hint
}
