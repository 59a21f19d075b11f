// The hints users need for the failures ACR import is known for (see reference §6). Each rule looks at the
// error's code, HTTP status and text; the first that matches gives the hint.

export const IMPORTER_ROLE = 'Container Registry Data Importer and Data Reader'

export interface ErrorFacts {
  code: string
  status?: number
  text: string
}

interface HintRule {
  matches: (facts: ErrorFacts) => boolean
  hint: string
}

const has = (text: string, ...needles: string[]): boolean =>
  needles.some((needle) => text.toLowerCase().includes(needle.toLowerCase()))

const HINT_RULES: HintRule[] = [
  {
    matches: (f) => has(f.text, 'already exists'),
    hint: 'the target tag exists and mode is NoForce; use force: true to overwrite it'
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
    matches: (f) => f.status === 429 || has(f.text, 'TOOMANYREQUESTS', 'pull rate limit', 'rate limit'),
    hint: 'Docker Hub limits anonymous pulls; pass a Docker Hub username and an access token as username/password'
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
  return HINT_RULES.find((rule) => rule.matches(facts))?.hint
}
