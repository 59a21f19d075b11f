// The registry auth challenge: `WWW-Authenticate: Bearer realm="...",service="...",scope="..."`.

export interface Challenge {
  scheme: string
  params: Record<string, string>
}

/** Parses a WWW-Authenticate header; undefined when there is none. */
export function parseChallenge(header: string | undefined): Challenge | undefined {
  if (!header) return undefined
  const space = header.indexOf(' ')
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase()
  const params: Record<string, string> = {}
  for (const match of header.slice(space + 1).matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)) {
    params[match[1].toLowerCase()] = match[2] ?? match[3] ?? ''
  }
  return { scheme, params }
}
