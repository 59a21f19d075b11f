// Parses the command line with commander: the flags of flags.ts, grouped in --help with their defaults. What
// comes out is every flag's value as the text the action's runner would hand the engine ('' when unset), so the
// core checks a value by the same rule on every host.
import { Command, CommanderError, Option } from 'commander'
import { FLAGS, type Flag } from './flags.js'

/** The flags' values by flag name, as text: a repeated flag's values are lines; a switch is 'true'. */
export type FlagValues = ReadonlyMap<string, string>

export type ParsedCommandLine =
  | { kind: 'run'; flags: FlagValues }
  /** --help (exit 0) or a usage mistake commander already printed (exit 2). */
  | { kind: 'exit'; code: number }

const SUMMARY =
  'Server-side import of container images into Azure Container Registry, pinned and verified by digest. ' +
  'The flags are the GitHub Action inputs of the same name and meaning.'

const MORE = `
Sign-in (--auth auto picks the first that is set):
  AZURE_CLIENT_SECRET            client secret of AZURE_CLIENT_ID in AZURE_TENANT_ID
  AZURE_CLIENT_CERTIFICATE_PATH  PEM file with the app's certificate and private key
  AZURE_FEDERATED_TOKEN_FILE     OIDC token file (GitLab id_tokens, Kubernetes), read again as needed
  (none)                         the az login session; --auth managed-identity for a managed identity

Exit codes: 0 done, 1 an import failed, 2 bad usage or input (nothing was sent), 130 interrupted.
`

export function parseCommandLine(
  argv: string[],
  write: { out(text: string): void; err(text: string): void }
): ParsedCommandLine {
  const program = new Command('acr-import')
    .description(SUMMARY)
    .usage('--registry <acr> (--source <ref>... | --images-file <file>) [flags]')
    .helpOption('-h, --help', 'show this help')
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({ writeOut: write.out, writeErr: write.err })
    .addHelpText('after', MORE)
  const options = FLAGS.map((flag) => {
    const option = optionFor(flag)
    program.addOption(option)
    return { flag, option }
  })
  try {
    program.parse(argv, { from: 'user' })
  } catch (err) {
    if (err instanceof CommanderError) return { kind: 'exit', code: err.exitCode === 0 ? 0 : 2 }
    throw err
  }
  const values = new Map<string, string>()
  for (const { flag, option } of options) {
    values.set(flag.name, asText(program.getOptionValue(option.attributeName())))
  }
  return { kind: 'run', flags: values }
}

function optionFor(flag: Flag): Option {
  const argument = flag.boolean ? (flag.default !== undefined ? ' [true|false]' : '') : ` <${flag.value}>`
  const option = new Option(`--${flag.name}${argument}`, flag.description).helpGroup(`${flag.group}:`)
  if (flag.default !== undefined) option.default(flag.default, flag.default)
  if (flag.env) option.env(flag.env)
  if (flag.repeatable) option.argParser((value: string, previous: unknown) => [...asList(previous), value])
  return option
}

function asList(previous: unknown): string[] {
  return Array.isArray(previous) ? (previous as string[]) : []
}

function asText(value: unknown): string {
  if (value === undefined || value === false) return ''
  if (value === true) return 'true'
  if (Array.isArray(value)) return value.join('\n')
  return String(value)
}
