// The manifest readers never throw for a read that failed: ARM may reach what the runner cannot, so a failed
// read is an answer of its own ("unreadable") and the plan goes on; only a cancellation goes through. And a
// target `repo:tag` is split at its last colon before it is read.
import { AcrRepositoryClients } from '../../../src/core/registry/acr-repository-clients.js'
import { RegistryGateway } from '../../../src/core/registry/registry-gateway.js'
import { describe, expect, it } from '@jest/globals'
import { resolveCloud } from '../../../src/core/cloud/clouds.js'
import { createManifestReaders, readTargetTag } from '../../../src/core/resolve/manifest-readers.js'
import type { ResolvedEntry } from '../../../src/core/resolve/source-access.js'
import { digestOf, holding, tableReaders } from './fakes.js'

const readers = createManifestReaders(
  resolveCloud({}),
  new RegistryGateway(),
  new AcrRepositoryClients({ getToken: async () => ({ token: 'unused', expiresOnTimestamp: 0 }) }, 'unused')
)

/** A source on `registry`; a host with a space makes the read throw before any connection. */
const source = (
  registry: string,
  access: ResolvedEntry['access'] = { kind: 'registryUri' }
): Pick<ResolvedEntry, 'reference' | 'access'> => ({
  reference: { registry, repository: 'team/app', tag: '1.0' },
  access
})

describe('a source read that throws', () => {
  it.each<[string, ResolvedEntry['access']]>([
    ['anonymously', { kind: 'registryUri' }],
    ['with credentials', { kind: 'registryUri', credentials: { username: 'u', password: 'pull-password' } }]
  ])('is an unreadable source, not an error (%s)', async (_how, access) => {
    const read = await readers.readSource(source('registry .example', access))
    expect(read).toEqual({ kind: 'unreadable', reason: expect.stringMatching(/Invalid URL/) })
    expect(JSON.stringify(read)).not.toContain('pull-password')
  })

  it('but a cancelled one throws the cancellation', async () => {
    const cancelled = new AbortController()
    cancelled.abort()
    await expect(readers.readSource(source('docker.io'), cancelled.signal)).rejects.toMatchObject({
      name: 'AbortError'
    })
  })
})

describe('a target repo:tag', () => {
  it('is read as the repository before its last colon and the tag after it', async () => {
    const table = tableReaders(holding(digestOf('1')), { 'team/app:1.0': holding(digestOf('2')) })
    await expect(readTargetTag(table, 'prodacr.azurecr.io', 'team/app:1.0')).resolves.toEqual(
      holding(digestOf('2'))
    )
    await readTargetTag(table, 'prodacr.azurecr.io', 'a/b/c:v1.2.3-rc.1')
    expect(table.targetReads).toEqual(['team/app:1.0', 'a/b/c:v1.2.3-rc.1'])
  })
})
