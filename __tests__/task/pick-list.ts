// The target registry's pick list as Azure DevOps fills it: the AzureRMContainerRegistries data source lists the
// registries of the connection's subscription (ARM's own JSON), and the binding's resultTemplate, a Mustache
// template, turns each one into the {Value, DisplayValue} the form shows. Value is what the task then receives.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { repoRoot } from './agent.js'

export interface DataSourceBinding {
  target: string
  endpointId: string
  dataSourceName: string
  resultTemplate: string
}

/** task.json's binding for an input. */
export function bindingOf(input: string): DataSourceBinding | undefined {
  const task = JSON.parse(readFileSync(join(repoRoot, 'task.json'), 'utf8')) as {
    dataSourceBindings?: DataSourceBinding[]
  }
  return task.dataSourceBindings?.find((binding) => binding.target === input)
}

/**
 * Renders a resultTemplate for one item. Only Mustache's unescaped `{{{dotted.path}}}` is supported: anything
 * else in the template throws, so a template this cannot render faithfully fails the test instead of passing.
 */
export function renderResultTemplate(
  template: string,
  item: Record<string, unknown>
): { Value: string; DisplayValue: string } {
  const withoutTriples = template.replace(/\{\{\{[\w.]+\}\}\}/g, '')
  if (withoutTriples.includes('{{')) throw new Error(`Unsupported Mustache in ${template}`)
  const rendered = template.replace(/\{\{\{([\w.]+)\}\}\}/g, (_all, path: string) => {
    const value = path.split('.').reduce<unknown>((at, key) => (at as Record<string, unknown>)?.[key], item)
    if (typeof value !== 'string') throw new Error(`${path} is not a string in ${JSON.stringify(item)}`)
    return value
  })
  return JSON.parse(rendered) as { Value: string; DisplayValue: string }
}
