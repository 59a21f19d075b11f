// Everything a host prints may hold remote text (ARM messages, registry replies, image names). GitHub's runner
// executes a line that starts with `::` (after trimming) or `##[`; the Azure Pipelines agent executes `##vso[`
// anywhere in a line and `##[` at its start. One rule for both hosts: break every such marker with a zero-width
// space, so the text stays readable and does nothing on either platform.

/** `text` (one or many lines) with every workflow-command marker made inert. */
export function inert(text: string): string {
  return text
    .split(/(\r\n|\n|\r)/)
    .map((part) => (/^(\r\n|\n|\r)$/.test(part) ? part : inertLine(part)))
    .join('')
}

function inertLine(line: string): string {
  return line
    .replace(/^(\s*)::/, (_match, space: string) => `${space}:\u200b:`)
    .replace(/##vso\[/gi, (marker) => `#\u200b#${marker.slice(2)}`)
    .replace(/##\[/g, '#\u200b#[')
}
