// One line instead of the same beforeAll/afterAll in every test file that needs a test bed:
//   const testbed = useTestbed()
// starts the test bed before the file's tests and stops it after them. What it returns stands in for the test
// bed (every property reads through to the running one), so tests use it as they would a Testbed; reading it
// outside a test (before beforeAll) throws, which points at a test that runs too early.
import { afterAll, beforeAll } from '@jest/globals'
import { SdkClient } from './azure/sdk-harness/sdkClient.js'
import { startTestbed } from './index.js'
import type { Testbed } from './types.js'

/** An object whose properties read through to `current()`; methods stay bound to it. */
function standIn<T extends object>(what: string, current: () => T | undefined): T {
  return new Proxy({} as T, {
    get: (_target, property) => {
      const real = current()
      if (!real) throw new Error(`The ${what} is not started yet: use it inside a test, not at module level`)
      const value: unknown = Reflect.get(real, property)
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(real) : value
    }
  })
}

/** Starts a test bed for the file's tests (it takes a few seconds, hence the hook timeout). */
export function useTestbed(): Testbed {
  let testbed: Testbed | undefined
  beforeAll(async () => {
    testbed = await startTestbed()
  }, 60_000)
  afterAll(async () => {
    await testbed?.stop()
  })
  return standIn('test bed', () => testbed)
}

/** The SDK child process (real @azure/identity and @azure/arm-containerregistry) of the file's tests. */
export function useSdkClient(testbed: Testbed): SdkClient {
  let sdk: SdkClient | undefined
  beforeAll(() => {
    sdk = new SdkClient(testbed.env)
  })
  afterAll(async () => {
    await sdk?.close()
  })
  return standIn('SDK client', () => sdk)
}
