// The resolve stage with a fake ARM: where the target registry is found (by name or login server through the
// subscription's list, by resource ID with a GET) and the line a user gets when it is not; then, for each entry,
// how ARM reaches its source: an ACR the identity sees goes by resource ID, a source with credentials always by
// registry URI with those credentials, a `source-registry` by ID even where it cannot be read, and a listing
// the identity may not make is no reason to fail.
import { describe, expect, it } from '@jest/globals'
import { RestError } from '@azure/core-rest-pipeline'
import { parseRegistryInput } from '../../../src/core/arm/registry-input.js'
import { resolveCloud } from '../../../src/core/cloud/clouds.js'
import type { Entry } from '../../../src/core/entries/entry.js'
import { UserError } from '../../../src/core/errors/user-error.js'
import { resolveEntries } from '../../../src/core/resolve/resolve-entries.js'
import { entryOf, fakeArm, OTHER_SUBSCRIPTION, recordingLogger, registryInfo, SUBSCRIPTION } from './fakes.js'

const cloud = resolveCloud({})
const prod = registryInfo('prodacr')
const dev = registryInfo('devacr')
/** A registry in a subscription the step did not sign in to. */
const shared = registryInfo('sharedacr', OTHER_SUBSCRIPTION)
const CREDENTIALS = { username: 'puller', password: 'pull-password' }

const registryInput = (text: string, role: 'target' | 'source' = 'source') =>
  parseRegistryInput(text, role, cloud.acrLoginSuffix)

/** An entry reading `repository:1.0` from `registry` (a host), as the entries stage writes it. */
const from = (registry: string, fields: Partial<Entry> = {}): Entry =>
  entryOf({
    written: `${registry}/team/app:1.0`,
    reference: { registry, repository: 'team/app', tag: '1.0' },
    targetTags: ['team/app:1.0'],
    ...fields
  })

async function resolve(
  entries: Entry[],
  options: { target?: string; subscriptionId?: string | null; arm?: ReturnType<typeof fakeArm> } = {}
) {
  const arm = options.arm ?? fakeArm([prod, dev, shared])
  const log = recordingLogger()
  const step = await resolveEntries(entries, {
    target: registryInput(options.target ?? 'prodacr', 'target'),
    arm: arm.arm,
    cloud,
    subscriptionId: options.subscriptionId === null ? undefined : (options.subscriptionId ?? SUBSCRIPTION),
    log
  })
  return { ...step, calls: arm.calls, log }
}

/** The line a refused resolve ends the step with. */
async function refusal(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown
  )
  if (!(err instanceof UserError)) throw new Error(`expected a UserError, got ${String(err)}`)
  return err.format()
}

describe('the target registry', () => {
  it.each(['prodacr', 'PRODACR', 'prodacr.azurecr.io'])(
    'is found in the subscription by name or login server (%s)',
    async (target) => {
      const { target: found, log } = await resolve([from('docker.io')], { target })
      expect(found).toEqual(prod)
      expect(log.lines).toContain(`info: Target registry: prodacr.azurecr.io (${prod.id})`)
    }
  )

  it('is found by resource ID with a GET, in its own subscription', async () => {
    const { target, calls } = await resolve([from('docker.io')], { target: shared.id, subscriptionId: null })
    expect(target).toEqual(shared)
    expect(calls).toEqual([`get ${OTHER_SUBSCRIPTION}/rg/sharedacr`])
  })

  it('not found by name: says where it looked, what to check and which role lets the identity see it', async () => {
    expect(await refusal(resolve([from('docker.io')], { target: 'otheracr' }))).toBe(
      `The target registry 'otheracr' was not found in subscription ${SUBSCRIPTION} or in the 1 other subscription it can read. Check the name and the subscription; the signed-in identity needs "Container Registry Data Importer and Data Reader" (or Contributor) on it to see it.`
    )
    expect(await refusal(resolve([from('docker.io')], { target: 'otheracr.azurecr.io' }))).toMatch(
      /^The target registry 'otheracr\.azurecr\.io' was not found in subscription .*\. Check the login server and the subscription;/
    )
  })

  it('given by name without a subscription: says to set one or give the resource ID', async () => {
    expect(await refusal(resolve([from('docker.io')], { subscriptionId: null }))).toBe(
      "The target registry 'prodacr' is given by name, and no subscription was given to look for it in. Set the subscription, or give the registry by resource ID."
    )
  })

  it('not found by resource ID (ARM answers 404): one line with the role hint', async () => {
    const gone = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/goneacr`
    expect(await refusal(resolve([from('docker.io')], { target: gone }))).toBe(
      `The target registry '${gone}' was not found. The signed-in identity needs "Container Registry Data Importer and Data Reader" (or Contributor) on it to see it.`
    )
    const arm = fakeArm([], { get: new RestError('ResourceNotFound', { statusCode: 404 }) })
    expect(await refusal(resolve([from('docker.io')], { target: prod.id, arm }))).toMatch(
      /^The target registry '.*prodacr' was not found\. /
    )
  })

  it('a GET by resource ID that fails otherwise is not "not found": the error goes on as it is', async () => {
    const forbidden = new RestError('AuthorizationFailed', { statusCode: 403 })
    const arm = fakeArm([], { get: forbidden })
    await expect(resolve([from('docker.io')], { target: prod.id, arm })).rejects.toBe(forbidden)
  })
})

describe('how ARM reaches a source written with its host', () => {
  it('an ACR the identity sees goes by resource ID, named by its login server', async () => {
    const { imports, calls } = await resolve([from('devacr.azurecr.io')], { target: prod.id })
    expect(imports[0].access).toEqual({ kind: 'resourceId', registry: dev })
    expect(imports[0].reference.registry).toBe('devacr.azurecr.io')
    expect(calls).toEqual([`get ${SUBSCRIPTION}/rg/prodacr`, `list ${SUBSCRIPTION}`])
  })

  it("a geo-replica's regional endpoint goes by the registry's resource ID and login server", async () => {
    const { imports } = await resolve([from('devacr.westeurope.geo.azurecr.io')])
    expect(imports[0].access).toEqual({ kind: 'resourceId', registry: dev })
    expect(imports[0].reference.registry).toBe('devacr.azurecr.io')
  })

  it('an ACR source with credentials goes by registry URI with those credentials, not by resource ID', async () => {
    const { imports } = await resolve([
      from('devacr.azurecr.io', { credentials: CREDENTIALS }),
      // Another entry without credentials makes the stage list the registries, so devacr is known.
      from('devacr.azurecr.io', { targetTags: ['team/app:other'] })
    ])
    expect(imports[0].access).toEqual({ kind: 'registryUri', credentials: CREDENTIALS })
    expect(imports[0].reference.registry).toBe('devacr.azurecr.io')
    expect(imports[1].access).toEqual({ kind: 'resourceId', registry: dev })
  })

  it('lists no registry when every ACR source has credentials', async () => {
    const { imports, calls } = await resolve([from('devacr.azurecr.io', { credentials: CREDENTIALS })], {
      target: prod.id
    })
    expect(imports[0].access).toEqual({ kind: 'registryUri', credentials: CREDENTIALS })
    expect(calls).toEqual([`get ${SUBSCRIPTION}/rg/prodacr`])
  })

  it('an ACR the identity cannot see goes by registry URI (ARM may still reach it)', async () => {
    const { imports } = await resolve([from('elsewhere.azurecr.io')])
    expect(imports[0].reference.registry).toBe('elsewhere.azurecr.io')
    expect(imports[0].access).toEqual({ kind: 'registryUri', credentials: undefined })
  })

  it('a registry that is not an ACR goes by URI and needs no listing', async () => {
    const entries = [from('docker.io'), from('ghcr.io', { credentials: CREDENTIALS, targetTags: ['x:1'] })]
    const { imports, calls } = await resolve(entries, { target: prod.id })
    expect(imports.map((i) => i.access)).toEqual([
      { kind: 'registryUri', credentials: undefined },
      { kind: 'registryUri', credentials: CREDENTIALS }
    ])
    expect(calls).toEqual([`get ${SUBSCRIPTION}/rg/prodacr`])
  })

  it('a listing the identity may not make is not fatal: the ACR source goes by URI, the reason goes to debug', async () => {
    const target = prod.id
    const arm = fakeArm([prod, dev], {
      list: new RestError('AuthorizationFailed: no list rights', { statusCode: 403 })
    })
    const { imports, log } = await resolve(
      [from('devacr.azurecr.io'), from('docker.io', { targetTags: ['x:1'] })],
      {
        target,
        arm
      }
    )
    expect(imports.map((i) => i.access)).toEqual([
      { kind: 'registryUri', credentials: undefined },
      { kind: 'registryUri', credentials: undefined }
    ])
    expect(log.lines).toContainEqual(
      expect.stringMatching(
        new RegExp(`^debug: Could not list the registries of subscription ${SUBSCRIPTION}: .*no list rights`)
      )
    )
  })
})

describe('a source-registry', () => {
  const inRegistry = (input: string, fields: Partial<Entry> = {}): Entry => {
    const sourceRegistry = registryInput(input)
    return from(sourceRegistry.loginServer, { sourceRegistry, written: 'team/app:1.0', ...fields })
  }

  it('by name is found in the subscription and reached by resource ID', async () => {
    const { imports } = await resolve([inRegistry('devacr')])
    expect(imports[0].access).toEqual({ kind: 'resourceId', registry: dev })
    expect(imports[0].reference).toEqual({
      registry: 'devacr.azurecr.io',
      repository: 'team/app',
      tag: '1.0'
    })
  })

  it('by name, with credentials: found, then reached by its login server with them', async () => {
    const { imports } = await resolve([inRegistry('DevAcr', { credentials: CREDENTIALS })])
    expect(imports[0].access).toEqual({ kind: 'registryUri', credentials: CREDENTIALS })
    expect(imports[0].reference.registry).toBe('devacr.azurecr.io')
  })

  it('by login server, with credentials: reached by URI without asking ARM about it', async () => {
    const entries = [inRegistry('elsewhere.azurecr.io', { credentials: CREDENTIALS })]
    const { imports, calls } = await resolve(entries, { target: prod.id })
    expect(imports[0].access).toEqual({ kind: 'registryUri', credentials: CREDENTIALS })
    expect(imports[0].reference.registry).toBe('elsewhere.azurecr.io')
    expect(calls).toEqual([`get ${SUBSCRIPTION}/rg/prodacr`])
  })

  it('shared by entries with and without credentials: each entry is reached its own way', async () => {
    const { imports } = await resolve([
      inRegistry('devacr'),
      inRegistry('devacr', { credentials: CREDENTIALS, targetTags: ['team/app:2'] })
    ])
    expect(imports.map((i) => i.access)).toEqual([
      { kind: 'resourceId', registry: dev },
      { kind: 'registryUri', credentials: CREDENTIALS }
    ])
  })

  it('is looked up once, however many entries read from it', async () => {
    const { calls } = await resolve(
      [inRegistry('devacr'), inRegistry('DEVACR', { targetTags: ['team/app:2'] })],
      { target: prod.id }
    )
    expect(calls).toEqual([`get ${SUBSCRIPTION}/rg/prodacr`, `list ${SUBSCRIPTION}`])
  })

  it('by name, not in the subscription: one line that says what to check and the role to read it', async () => {
    expect(await refusal(resolve([inRegistry('sharedacr')]))).toBe(
      `The source registry 'sharedacr' was not found in subscription ${SUBSCRIPTION}. Check the name and the subscription; the signed-in identity needs read on it (e.g. Reader or "Container Registry Data Importer and Data Reader").`
    )
  })

  it('by resource ID in another subscription is read there with a GET', async () => {
    const { imports, calls } = await resolve([inRegistry(shared.id)])
    expect(imports[0].access).toEqual({ kind: 'resourceId', registry: shared })
    expect(calls).toContain(`get ${OTHER_SUBSCRIPTION}/rg/sharedacr`)
  })

  it('by resource ID that cannot be read (no Reader there): still imported by that ID, the reason in debug', async () => {
    const arm = fakeArm([prod], { get: new RestError('AuthorizationFailed', { statusCode: 403 }) })
    const { imports, log } = await resolve([inRegistry(shared.id)], { arm })
    expect(imports[0].access).toEqual({
      kind: 'resourceId',
      registry: {
        id: shared.id,
        subscriptionId: OTHER_SUBSCRIPTION,
        resourceGroup: 'rg',
        name: 'sharedacr',
        loginServer: 'sharedacr.azurecr.io'
      }
    })
    expect(log.lines).toContainEqual(
      expect.stringMatching(/^debug: Could not read the source registry \/subscriptions\/.*sharedacr: /)
    )
  })

  it('by resource ID that ARM says does not exist: one line, not a fallback', async () => {
    const gone = `/subscriptions/${OTHER_SUBSCRIPTION}/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/goneacr`
    expect(await refusal(resolve([inRegistry(gone)]))).toBe(
      `The source registry '${gone}' was not found. The signed-in identity needs read on it (e.g. Reader or "Container Registry Data Importer and Data Reader").`
    )
  })
})

describe('targets in other registries (fan-out)', () => {
  const into = (registry: string, fields: Partial<Entry> = {}) =>
    from('docker.io', { targetRegistry: registryInput(registry, 'target'), ...fields })

  it("finds a registry of another subscription the identity can read, after looking in the step's own", async () => {
    const { imports, calls, log } = await resolve([
      from('docker.io'),
      into('sharedacr.azurecr.io'),
      into('sharedacr')
    ])
    expect(imports.map((i) => [i.target.loginServer, i.failure])).toEqual([
      ['prodacr.azurecr.io', undefined],
      ['sharedacr.azurecr.io', undefined],
      ['sharedacr.azurecr.io', undefined]
    ])
    // (ArmRegistries lists each subscription once per step; this fake ARM counts every call.)
    expect([...new Set(calls)]).toEqual([
      `list ${SUBSCRIPTION}`,
      'subscriptions',
      `list ${OTHER_SUBSCRIPTION}`
    ])
    expect(log.lines).toContain(`info: Target registry: sharedacr.azurecr.io (${shared.id})`)
  })

  it('fails only the entries of a registry that is found nowhere, saying where it looked', async () => {
    const { imports } = await resolve([into('missingacr.azurecr.io'), from('docker.io')])
    expect(imports[0].failure).toBe(
      `The target registry 'missingacr.azurecr.io' was not found in subscription ${SUBSCRIPTION} or in the 1 other subscription it can read. Check the login server and the subscription; the signed-in identity needs "Container Registry Data Importer and Data Reader" (or Contributor) on it to see it.`
    )
    // Its results name the registry the user wrote, though nothing is sent to it.
    expect(imports[0].target.loginServer).toBe('missingacr.azurecr.io')
    expect(imports[1]).toMatchObject({ target: prod })
    expect(imports[1].failure).toBeUndefined()
  })

  it("finds the step's own registry in another subscription too", async () => {
    const { target } = await resolve([from('docker.io')], { target: 'sharedacr' })
    expect(target).toEqual(shared)
  })
})
