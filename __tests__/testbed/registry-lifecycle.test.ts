// startTestbed() runs one docker-registry per backing registry, and stop() resolves only once every process it
// started has exited, leaving no temp folder behind (and may be called twice). How fast it starts is not
// asserted: alone it takes about 1.5 s, on a loaded machine (2 cores, four CPU-bound processes and other
// suites beside it) it took 50 s, so any bound fails for a reason unrelated to the change under test.
import { describe, expect, it } from '@jest/globals'
import { existsSync } from 'node:fs'
import { dirname } from 'node:path'
import { startTestbed } from './index.js'
import { serialNumberHex } from './net/tls.js'
import { descendantsOf, isAlive, registryProcessesUnder } from './registry/processes.js'
import { REGISTRIES } from './world.js'

describe('test bed lifecycle', () => {
  it('starts its registries and stops without leaving processes or files', async () => {
    const runningBefore = descendantsOf(process.pid)
    const testbed = await startTestbed()
    const workDir = dirname(testbed.caCertPath)
    const startedByTestbed = descendantsOf(process.pid).filter((pid) => !runningBefore.includes(pid))
    try {
      // docker.io, mcr.microsoft.com, registry.contoso.com and every ACR.
      expect(registryProcessesUnder(workDir)).toHaveLength(3 + Object.keys(REGISTRIES).length)
      // The registries and the janitor (registry/exit-cleanup.ts).
      expect(startedByTestbed).toHaveLength(3 + Object.keys(REGISTRIES).length + 1)
      expect(await testbed.backend('docker.io').listTags('library/hello-world')).toEqual(['latest'])
    } finally {
      await testbed.stop()
    }
    expect(startedByTestbed.filter(isAlive)).toEqual([])
    expect(registryProcessesUnder(workDir)).toEqual([])
    expect(existsSync(workDir)).toBe(false)
    await testbed.stop()
    // Only a guard against a hang (see the top): the start took 50 s on a loaded machine.
  }, 180_000)
})

describe('certificate serial numbers', () => {
  it('are positive and minimal DER integers whatever the random bytes', () => {
    for (const first of [0x00, 0x04, 0x7f, 0x80, 0xff]) {
      const hex = serialNumberHex(Buffer.from([first, 0x00, 0xab]))
      expect(hex).toHaveLength(6)
      expect(parseInt(hex.slice(0, 2), 16)).toBeGreaterThanOrEqual(0x01)
      expect(parseInt(hex.slice(0, 2), 16)).toBeLessThanOrEqual(0x7f)
    }
  })
})
