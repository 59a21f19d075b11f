// The target registry picked from the form's list works: the list Azure DevOps builds from task.json's
// dataSourceBindings (the AzureRMContainerRegistries data source, i.e. ARM's registry list of the connection's
// subscription, rendered through the binding's resultTemplate) hands the task a value the task imports into.
// A value typed instead of picked (a resource ID) works too. The bundle runs as the agent starts it.
import { afterAll, describe, expect, it } from '@jest/globals'
import { useSdkClient, useTestbed } from '../testbed/use-testbed.js'
import { APPS, REGISTRIES, resourceIdOf, SUB_PROD } from '../testbed/world.js'
import { NODE_VERSIONS, removeRunFolders, runTask } from './agent.js'
import { secretJob } from './e2e-world.js'
import { bindingOf, renderResultTemplate } from './pick-list.js'
import type { HttpAnswer } from '../testbed/azure/sdk-harness/sdkClient.js'

const testbed = useTestbed()
const sdk = useSdkClient(testbed)
afterAll(() => removeRunFolders())

/** The connection's identity (the ADO app, with its secret) reads what the data source reads. */
const connectionIdentity = {
  kind: 'secret' as const,
  tenantId: APPS.ado.tenantId,
  clientId: APPS.ado.appId,
  secret: APPS.ado.clientSecret
}

/** ARM's registry list for the subscription: what the AzureRMContainerRegistries data source asks for. */
async function registriesOfSubscription(): Promise<Record<string, unknown>[]> {
  const token = await sdk.run<{ token: string }>(connectionIdentity, {
    kind: 'getToken',
    scope: 'https://management.azure.com/.default'
  })
  if (!token.ok) throw new Error(token.error.message)
  const answer = await sdk.run<HttpAnswer>(connectionIdentity, {
    kind: 'http',
    url: `https://management.azure.com/subscriptions/${SUB_PROD}/providers/Microsoft.ContainerRegistry/registries?api-version=2025-11-01`,
    headers: { authorization: `Bearer ${token.value.token}` }
  })
  if (!answer.ok || answer.value.status !== 200) throw new Error(JSON.stringify(answer))
  return (JSON.parse(answer.value.body) as { value: Record<string, unknown>[] }).value
}

const [node20] = NODE_VERSIONS

async function importInto(registry: string, target: string) {
  const run = await runTask(
    secretJob(testbed, { registry, source: 'docker.io/library/busybox:1.36', image: target }),
    { node: node20.binary }
  )
  expect({ result: run.result, message: run.resultMessage }).toMatchObject({ result: 'Succeeded' })
  const sourceDigest = await testbed.backend('docker.io').headManifest('library/busybox', '1.36')
  const [repo, tag] = target.split(':')
  expect(await testbed.backend('prodacr.azurecr.io').headManifest(repo, tag)).toBe(sourceDigest)
  expect(run.outputs.digest).toBe(sourceDigest)
}

describe('the target registry pick list', () => {
  it('lists the subscription’s registries by name, and the task imports into the value picked', async () => {
    const binding = bindingOf('registry')
    expect(binding?.dataSourceName).toBe('AzureRMContainerRegistries')
    const choices = (await registriesOfSubscription()).map((registry) =>
      renderResultTemplate(binding!.resultTemplate, registry)
    )
    expect(choices.map((choice) => choice.DisplayValue)).toContain(REGISTRIES.prod.name)
    const picked = choices.find((choice) => choice.DisplayValue === REGISTRIES.prod.name)!
    await importInto(picked.Value, 'picked/busybox:1.36')
  })

  it('still takes a registry typed as a resource ID (the list is editable)', async () => {
    await importInto(resourceIdOf(REGISTRIES.prod), 'typed/busybox:1.36')
  })
})
