// `npm test`: Jest, with one test bed CA for the whole run. Node trusts extra CAs only from
// NODE_EXTRA_CA_CERTS at process start, so the CA is made before Jest starts and handed to it (and to every
// worker) through the environment; the engine's stages can then run in-process against the test bed, where
// coverage is measured. Arguments are passed on to Jest; a run of the whole suite (no arguments) also measures
// coverage and holds src/core to its threshold (jest.config.js).
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..')
const caDir = mkdtempSync(join(tmpdir(), 'acr-import-test-ca-'))
const cleanUp = () => rmSync(caDir, { recursive: true, force: true })
process.on('exit', cleanUp)

execFileSync(join(root, 'node_modules/.bin/tsx'), [join(root, '__tests__/testbed/shared-ca.ts'), caDir], {
  stdio: 'inherit'
})
const args = process.argv.slice(2)
const jest = spawn(
  process.execPath,
  [
    '--experimental-vm-modules',
    '--no-warnings',
    join(root, 'node_modules/jest/bin/jest.js'),
    ...(args.length === 0 ? ['--coverage'] : args)
  ],
  {
    stdio: 'inherit',
    env: { ...process.env, ACR_IMPORT_TESTBED_CA_DIR: caDir, NODE_EXTRA_CA_CERTS: join(caDir, 'ca.pem') }
  }
)
// Jest stops its workers and test beds on SIGINT/SIGTERM; pass the signal on and wait for it to finish.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => jest.kill(signal))
jest.on('exit', (code, signal) => {
  cleanUp()
  process.exit(code ?? (signal ? 1 : 0))
})
