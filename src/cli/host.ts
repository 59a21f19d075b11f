// The host port on a plain command line: inputs from the flags, sign-in from Azure's environment variables, the
// log on stderr (masked by the printer, as no runner does it here), outputs kept for the caller to print, the
// summary into the --summary file. Lines arrive already made inert by the core.
import { writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { secretLines, UserError, type HostPort } from '../core/index.js'
import type { FlagValues } from './command-line.js'
import type { NetworkUse } from './network-use.js'
import type { Printer } from './printer.js'
import { chooseSignIn } from './sign-in.js'

/** How the step ended, as the host saw it: what main turns into an exit code and stdout. */
export interface CliStepEnd {
  outputs: Map<string, string>
  /** Set when the step failed; `beforeNetwork` when not one request had been sent by then. */
  failure?: { line: string; beforeNetwork: boolean }
}

export function createCliHost(
  flags: FlagValues,
  printer: Printer,
  network: NetworkUse,
  env: NodeJS.ProcessEnv = process.env
): { host: HostPort; end: CliStepEnd } {
  const flag = (name: string): string => flags.get(name) ?? ''
  const optional = (name: string): string | undefined => flag(name).trim() || undefined
  const end: CliStepEnd = { outputs: new Map() }
  const setSecret = (value: string): void => secretLines(value).forEach((line) => printer.addSecret(line))
  const host: HostPort = {
    cancelledMessage: 'Interrupted',
    input: (name, options) => (options?.secret ? secretInput(name) : flag(name)),
    cloud: () => ({
      environment: optional('environment'),
      armEndpoint: optional('arm-endpoint'),
      authorityHost: optional('authority-host')
    }),
    signIn() {
      // Masked from the first moment, before the core registers it with the credential.
      setSecret(env.AZURE_CLIENT_SECRET ?? '')
      return chooseSignIn(
        {
          auth: flag('auth'),
          clientId: optional('client-id'),
          tenantId: optional('tenant-id'),
          subscriptionId: optional('subscription-id')
        },
        env
      )
    },
    workspace: () => process.cwd(),
    info: (line) => printer.print('info', line),
    notice: (line) => printer.print('notice', line),
    warning: (line) => printer.print('warning', line),
    debug: (line) => printer.print('debug', line),
    group: (title, fn) => printer.group(title, fn),
    setSecret,
    setOutput: (name, value) => void end.outputs.set(name, value),
    writeSummary: (markdown) => writeSummary(optional('summary'), printer.redact(markdown), printer),
    reportFailedImport: (source, error) => printer.print('error', `${source}: ${error}`),
    fail(line) {
      end.failure = { line, beforeNetwork: !network.started() }
      printer.print('error', line)
    },
    succeed: (line) => (line ? printer.print('info', line) : undefined)
  }
  return { host, end }

  /** The only secret engine input is `password`; its value is in the variable --password-env names. */
  function secretInput(name: string): string {
    const variable = optional(`${name}-env`)
    if (!variable) return ''
    const value = env[variable]
    if (value === undefined) {
      throw new UserError(
        `The environment variable ${variable} (--${name}-env) is not set`,
        'export it with the source registry password, or drop --password-env'
      )
    }
    return value
  }
}

/** A summary problem never fails the import. */
async function writeSummary(file: string | undefined, markdown: string, printer: Printer): Promise<void> {
  if (!file) return
  try {
    await writeFile(resolve(file), markdown, 'utf8')
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err)
    printer.print('warning', `The summary could not be written to ${file}: ${reason}`)
  }
}
