// A repository whose tags cannot be listed fails only its own tag-pattern entry, with the registry's answer and
// what to do; the batch goes on: the other patterns expand, the plain entries pass through, and the plan imports
// them. The tag lister never throws for a failed listing (only for cancellation), so no listing can end the step.
import { RegistryGateway } from '../../../src/core/registry/registry-gateway.js'
import { describe, expect, it } from '@jest/globals'
import { resolveCloud } from '../../../src/core/cloud/clouds.js'
import type { Entry } from '../../../src/core/entries/entry.js'
import { expandTagPatterns } from '../../../src/core/expand/expand-tag-patterns.js'
import { AcrRepositoryClients } from '../../../src/core/registry/acr-repository-clients.js'
import { createTagLister, type ListTags } from '../../../src/core/expand/list-tags.js'
import { planImports } from '../../../src/core/plan/plan-imports.js'
import type { TagListing } from '../../../src/core/registry/tag-listing.js'
import type { ResolvedEntry } from '../../../src/core/resolve/source-access.js'
import { digestOf, entryOf, holding, recordingLogger, registryInfo, tableReaders } from './fakes.js'

const DIGEST = digestOf('7')

/** A tag-pattern entry mirroring `repository` (docker.io) into mirror/<name>, read anonymously. */
function patternOf(repository: string, origin: string): ResolvedEntry {
  const reference = { registry: 'docker.io', repository }
  const entry: Entry = entryOf({
    written: `docker.io/${repository}`,
    origin,
    reference,
    targetTags: [],
    tagPattern: {
      pattern: { semver: '>=7.0.0', prerelease: false },
      targetRepositories: [`mirror/${repository.split('/').pop()}`]
    }
  })
  return { entry, reference, access: { kind: 'registryUri' }, target: registryInfo('prodacr') }
}

describe('a repository whose tags cannot be listed', () => {
  it('fails only its own entry, with the hint; the other pattern and the plain entry are imported', async () => {
    const listings: Record<string, TagListing> = {
      'library/redis': { kind: 'listed', tags: ['6.2.0', '7.2.4', 'latest'] },
      'contoso/private': {
        kind: 'unlistable',
        reason: 'docker.io/contoso/private answered HTTP 401 UNAUTHORIZED',
        status: 401
      }
    }
    const listTags: ListTags = async ({ reference }) => listings[reference.repository]
    const plain = entryOf({ targetTags: ['web:1.27'] })
    const entries: ResolvedEntry[] = [
      patternOf('contoso/private', 'images.yaml line 3'),
      patternOf('library/redis', 'images.yaml line 5'),
      {
        entry: plain,
        reference: plain.reference,
        access: { kind: 'registryUri' },
        target: registryInfo('prodacr')
      }
    ]
    const readers = tableReaders(holding(DIGEST))
    const log = recordingLogger()
    const expanded = await expandTagPatterns(entries, { listTags, readers, log })

    expect(expanded.patterns.map((p) => [p.origin, p.failed ?? false, p.matched])).toEqual([
      ['images.yaml line 3', true, []],
      ['images.yaml line 5', false, ['7.2.4']]
    ])
    const plans = await planImports(expanded.imports, {
      readers,
      skipUnchanged: true,
      dryRun: false
    })
    expect(plans.map((p) => [p.entry.origin, p.decision])).toEqual([
      [
        'images.yaml line 3',
        {
          kind: 'fail',
          error:
            'images.yaml line 3: the tags of docker.io/contoso/private cannot be listed: docker.io/contoso/private answered HTTP 401 UNAUTHORIZED. The repository may be private: give credentials that may pull from it (username and password, or credentials in the images file).'
        }
      ],
      ['images.yaml line 5', { kind: 'import' }],
      ['source line 1', { kind: 'import' }]
    ])
    expect(plans[1].entry.targetTags).toEqual(['mirror/redis:7.2.4'])
  })
})

describe('the tag lister', () => {
  const lister = createTagLister(
    resolveCloud({}),
    new RegistryGateway(),
    new AcrRepositoryClients({ getToken: async () => ({ token: 'unused', expiresOnTimestamp: 0 }) }, 'unused')
  )
  const source = (registry: string): Pick<ResolvedEntry, 'reference' | 'access'> => ({
    reference: { registry, repository: 'team/app' },
    access: { kind: 'registryUri' }
  })

  it('answers a listing that threw as not listable, naming the repository, instead of throwing', async () => {
    // A host with a space makes the request throw before any connection, as a network failure would after one.
    await expect(lister(source('registry .example'))).resolves.toEqual({
      kind: 'unlistable',
      reason: expect.stringMatching(/^registry \.example\/team\/app: .*Invalid URL/)
    })
  })

  it('lets a cancellation through: a cancelled step is not a failed listing', async () => {
    const cancelled = new AbortController()
    cancelled.abort()
    await expect(lister(source('docker.io'), cancelled.signal)).rejects.toMatchObject({ name: 'AbortError' })
  })
})
