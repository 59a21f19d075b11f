// The command line: parse the flags, run the step through the command line's host, print the results JSON when
// asked, and say how it went in the exit code: 0 done, 1 the work failed, 2 refused before any request (a
// usage mistake or bad input), 130 interrupted.
import { runStep } from '../core/index.js'
import { parseCommandLine } from './command-line.js'
import { createCliHost, type CliStepEnd } from './host.js'
import { EXIT_INTERRUPTED, watchInterrupt } from './interrupt.js'
import { watchNetworkUse } from './network-use.js'
import { Printer } from './printer.js'

export const EXIT_FAILED = 1
export const EXIT_REFUSED = 2

export async function main(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(argv, {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text)
  })
  if (parsed.kind === 'exit') return parsed.code
  const printer = new Printer(process.stderr, parsed.flags.get('debug') === 'true')
  const network = watchNetworkUse()
  const interrupt = watchInterrupt()
  const { host, end } = createCliHost(parsed.flags, printer, network)
  try {
    await runStep(host)
  } finally {
    interrupt.dispose()
    network.dispose()
  }
  const results = end.outputs.get('results')
  if (parsed.flags.get('json') === 'true' && results !== undefined) {
    // Masked like the log: a results field could quote a secret someone put in a reference.
    process.stdout.write(`${printer.redact(JSON.stringify(JSON.parse(results), null, 2))}\n`)
  }
  return exitCode(end, interrupt.received())
}

function exitCode(end: CliStepEnd, interrupted: boolean): number {
  if (interrupted) return EXIT_INTERRUPTED
  if (!end.failure) return 0
  return end.failure.beforeNetwork ? EXIT_REFUSED : EXIT_FAILED
}
