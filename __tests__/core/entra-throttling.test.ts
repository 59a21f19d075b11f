// Entra ID's 429 is waited out like every other service's: the credential's token requests carry the throttle
// policy, so more throttled answers than the pipeline's own three retries still end in a token.
import { describe, expect, it } from '@jest/globals'
import { resolveCloud } from '../../src/core/cloud/clouds.js'
import { createCredential } from '../../src/core/credential/create-credential.js'
import { TESTBED_SIGN_IN, useTestbedInProcess } from './fake-host.js'
import { recordingLogger } from './unit/fakes.js'

const testbedNow = useTestbedInProcess()
const cloud = resolveCloud({})

describe('a token request that Entra ID throttles', () => {
  it('waits out five 429s in a row and gets the token', async () => {
    const THROTTLED = 5
    testbedNow().faults.throttleHost('login.microsoftonline.com', THROTTLED, 0, '/oauth2/v2.0/token')
    const from = testbedNow().requests.length
    try {
      const credential = createCredential(TESTBED_SIGN_IN.signIn, cloud, recordingLogger())
      const token = await credential.getToken(cloud.armScope)
      expect(token?.token).toBeTruthy()
      const answers = testbedNow()
        .requests.slice(from)
        .filter((r) => r.url.includes('/oauth2/v2.0/token'))
        .map((r) => r.status)
      expect(answers).toEqual([...Array<number>(THROTTLED).fill(429), 200])
    } finally {
      testbedNow().faults.reset()
    }
  })
})
