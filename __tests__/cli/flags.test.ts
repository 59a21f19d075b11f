// The command line's flags are the action's inputs: every input of action.yml is a flag of the same name and
// default, or one of the few secrets read from the environment instead. An input added to action.yml (say
// trust-policy) fails here until the command line has it too. And commander hands the engine the same text the
// runner would: repeated flags as lines, a bare switch as 'true', defaults, Azure's variables.
import { describe, expect, test } from '@jest/globals'
import { readActionManifest } from '../action/action-manifest.js'
import { parseCommandLine, type FlagValues } from '../../src/cli/command-line.js'
import { CLI_ONLY_FLAGS, FLAGS, INPUTS_FROM_ENVIRONMENT } from '../../src/cli/flags.js'

const inputs = readActionManifest().inputs

function parse(argv: string[]): { flags?: FlagValues; code?: number; out: string; err: string } {
  let out = ''
  let err = ''
  const parsed = parseCommandLine(argv, { out: (text) => (out += text), err: (text) => (err += text) })
  return parsed.kind === 'run' ? { flags: parsed.flags, out, err } : { code: parsed.code, out, err }
}

describe('the flags and action.yml', () => {
  test('every input is a flag of the same name, or read from the environment', () => {
    const flagNames = FLAGS.map((flag) => flag.name)
    for (const name of Object.keys(inputs)) {
      const where = flagNames.includes(name)
        ? 'flag'
        : INPUTS_FROM_ENVIRONMENT[name]
          ? 'environment'
          : 'missing'
      expect({ name, where }).not.toEqual({ name, where: 'missing' })
    }
    for (const name of flagNames) {
      if (!CLI_ONLY_FLAGS.includes(name)) expect(Object.keys(inputs)).toContain(name)
    }
  })

  test("a flag's default is the input's default", () => {
    for (const flag of FLAGS.filter((f) => !CLI_ONLY_FLAGS.includes(f.name))) {
      const expected = inputs[flag.name].default
      expect({ name: flag.name, default: flag.default }).toEqual({
        name: flag.name,
        default: expected === undefined ? undefined : String(expected)
      })
    }
  })
})

describe('parsing the command line', () => {
  test('repeated flags become lines; a bare switch is true; unset flags are empty or their default', () => {
    const { flags } = parse([
      '--registry',
      'prodacr',
      '--source',
      'nginx:1.27',
      '--source',
      'busybox:1.36 => web/busybox:1',
      '--image',
      'web/nginx:1',
      '--image',
      'web/nginx:stable',
      '--force',
      '--lock',
      'false',
      '--dry-run=true',
      '--json'
    ])
    expect(flags?.get('source')).toBe('nginx:1.27\nbusybox:1.36 => web/busybox:1')
    expect(flags?.get('image')).toBe('web/nginx:1\nweb/nginx:stable')
    expect([flags?.get('force'), flags?.get('lock'), flags?.get('dry-run'), flags?.get('json')]).toEqual([
      'true',
      'false',
      'true',
      'true'
    ])
    expect([flags?.get('concurrency'), flags?.get('skip-unchanged'), flags?.get('timeout')]).toEqual([
      'auto',
      'true',
      '600'
    ])
    expect([flags?.get('images-file'), flags?.get('debug')]).toEqual(['', ''])
  })

  test("--client-id, --tenant-id and --subscription-id default to Azure's variables, and win over them", () => {
    const saved = { ...process.env }
    try {
      Object.assign(process.env, { AZURE_CLIENT_ID: 'from-env', AZURE_TENANT_ID: 'tenant-from-env' })
      const { flags } = parse(['--client-id', 'from-flag'])
      expect([flags?.get('client-id'), flags?.get('tenant-id')]).toEqual(['from-flag', 'tenant-from-env'])
    } finally {
      process.env = saved
    }
  })

  test('--help lists the flags in their groups with the defaults, and exits 0', () => {
    const { code, out } = parse(['--help'])
    expect(code).toBe(0)
    const headings = ['Images:', 'Import:', 'Source registry:', 'Azure sign-in:', 'Output:']
    const at = headings.map((heading) => out.indexOf(`\n${heading}\n`))
    expect(at.every((index) => index > 0)).toBe(true)
    expect([...at].sort((a, b) => a - b)).toEqual(at)
    for (const flag of FLAGS) expect(out).toContain(`--${flag.name}`)
    expect(out).toMatch(/--skip-unchanged \[true\|false\][^]*?\(default: true\)/)
    expect(out).toMatch(/--concurrency <n>[^]*?\(default: auto\)/)
    expect(out).toMatch(/--tenant-id <guid>[^]*?\(env: AZURE_TENANT_ID\)/)
    expect(out).toContain('AZURE_FEDERATED_TOKEN_FILE')
    expect(out).toMatch(/Exit codes: 0 .*, 1 .*, 2 .*, 130/)
  })

  test('a usage mistake is exit 2, said on stderr', () => {
    expect(parse(['--registry'])).toMatchObject({
      code: 2,
      out: '',
      err: expect.stringMatching(/argument missing/)
    })
    expect(parse(['prodacr'])).toMatchObject({ code: 2, err: expect.stringMatching(/too many arguments/) })
  })
})
