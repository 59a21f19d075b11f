// The Azure SDK's log lines can carry credentials the SDK did not mean to print: its request dump redacts the
// headers it knows, but through a proxy it also serialises the proxy agent, whose sockets hold the raw request
// text (`authorization: Basic ...\r\n`). None of those values are registered with the runner's masker, so every
// SDK line is scrubbed here before it is printed. Over-redacting a debug line is cheap; a leak is not.

const MASK = '***'

/** Header names whose whole value is a credential (`Bearer <token>`, `Basic <base64>`, a bare key). */
const CREDENTIAL_HEADERS = String.raw`(?:proxy-)?authorization|x-identity-header|ocp-apim-subscription-key`

/**
 * Form, JSON and `key: value` fields whose value is a secret: any name ending in one of these words, so
 * `client_secret`, `clientSecret`, `proxyPassword`, `access_token`, `refreshToken` and `client_assertion` all count.
 */
const SECRET_FIELDS = String.raw`[\w-]*?(?:secret|password|passwd|assertion|token)`

// Where a name starts: not inside a longer word, but right after an escaped `\r\n` or `\t` (JSON-escaped raw HTTP
// text has `...\r\nauthorization: ...`, where `n` and `a` would make a word).
const NAME_START = String.raw`(?:(?<![\w-])|(?<=\\[rnt]))`

// `authorization: Bearer x`, `"authorization":"Basic x"`, `authorization=x`, `\"Authorization\": \"Bearer x\"`: the
// name, its optional (escaped) quotes and separator, then an optional scheme and the credential. The value stops at
// whitespace, a quote or a backslash, so raw `\r\n` and JSON-escaped `\r\n` both end it.
const HEADER_VALUE = new RegExp(
  String.raw`${NAME_START}(${CREDENTIAL_HEADERS})(\\*["']?[ \t]*[:=][ \t]*\\*["']?)(?:([A-Za-z][\w-]*) +)?([^\s"'\\,;&]+)`,
  'gi'
)

// A quoted value (`"password":"x"`, `password: 'x'`, `\"password\":\"x\"`) runs to its closing quote where a
// JSON/inspect separator follows, so a quote inside the secret does not end it early; without such a closing quote
// (a line cut short) it runs to the next quote or line end.
const QUOTED_FIELD = new RegExp(
  String.raw`${NAME_START}(${SECRET_FIELDS})(\\*["']?[ \t]*[:=][ \t]*)(\\*["'])(?:[^\r\n]{0,4096}?(\3)(?=[ \t]*(?:[,}\]]|\\[rn]|[\r\n]|$))|[^"'\\\r\n]*)`,
  'gi'
)

// An unquoted value: a form field (`password=x&...`) or `key: value` text; it ends where a form or line would.
const BARE_FIELD = new RegExp(
  String.raw`${NAME_START}(${SECRET_FIELDS})([ \t]*[:=][ \t]*)(?![\\"'{[])[^\s&,;}"'\\]+`,
  'gi'
)

/**
 * A JWT anywhere, even glued to an escaped `\n` (ID tokens, client assertions, ARM and ACR tokens): three base64url
 * parts, the first a JSON header (`{"` is `eyJ`).
 */
const JWT = /eyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g

/** Credentials in a URL (`http://user:password@proxy:3128`), as an agent's proxy setting carries them. */
const URL_USERINFO = /\b([a-z][a-z\d+.-]*:\/\/)[^\s/@"'\\]+@/gi

/** Replaces every credential in `text` with `***`, keeping the names (and auth scheme) that make it readable. */
export function redactSecrets(text: string): string {
  return text
    .replace(HEADER_VALUE, (_match, name: string, separator: string, scheme: string | undefined) =>
      scheme ? `${name}${separator}${scheme} ${MASK}` : `${name}${separator}${MASK}`
    )
    .replace(
      QUOTED_FIELD,
      (_match, name: string, separator: string, quote: string, closing: string | undefined) =>
        `${name}${separator}${quote}${MASK}${closing ?? ''}`
    )
    .replace(BARE_FIELD, `$1$2${MASK}`)
    .replace(JWT, MASK)
    .replace(URL_USERINFO, `$1${MASK}@`)
}
