// Remote text (ARM messages, registry replies, token claims) goes into log lines. A line that starts with a
// workflow command would be executed by the runner (GitHub `::set-output::`, Azure DevOps `##vso[...]`), so
// every piece of it is collapsed to one line and the command markers are broken up.

const MAX_LENGTH = 1000

/** One line, no workflow commands, at most 1000 characters. */
export function safeText(remote: string): string {
  const oneLine = String(remote)
    // eslint-disable-next-line no-control-regex
    .replace(/[\r\n\u2028\u2029\u0085\u000b\u000c]+/g, ' ')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000e-\u001f\u007f]/g, '')
    .replace(/\s{2,}/g, ' ')
    .trim()
  // A zero-width space between the characters keeps the text readable and inert wherever it lands.
  const inert = oneLine
    .replace(/::/g, ':\u200b:')
    .replace(/##vso\[/gi, (m) => `#\u200b#${m.slice(2)}`)
    .replace(/##\[/g, '#\u200b#[')
  return inert.length > MAX_LENGTH ? `${inert.slice(0, MAX_LENGTH)}…` : inert
}
