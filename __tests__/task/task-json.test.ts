// task.json against the official schema (tfx only warns), plus the rules the schema leaves to prose or to tfx
// and the agent: friendlyName length, camelCase inputs, help on every input, handlers that exist.
import { describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import { parse } from 'yaml'
import { taskName } from '../../src/task/names.js'
import { ENGINE_OUTPUTS, engineInputNames } from '../core/engine-inputs.js'
import { repoRoot } from './agent.js'
import { renderResultTemplate, type DataSourceBinding } from './pick-list.js'

const readJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(path, 'utf8'))

interface TaskInput {
  name: string
  type: string
  label: string
  required?: boolean
  defaultValue?: string
  helpMarkDown?: string
  groupName?: string
  aliases?: string[]
  visibleRule?: string
  properties?: Record<string, unknown>
}
interface TaskJson {
  id: string
  name: string
  friendlyName: string
  category: string
  minimumAgentVersion: string
  helpUrl?: string
  instanceNameFormat: string
  dataSourceBindings?: DataSourceBinding[]
  groups: { name: string }[]
  inputs: TaskInput[]
  outputVariables: { name: string; description?: string }[]
  execution: Record<string, { target: string }>
}

const task = readJson(join(repoRoot, 'task.json')) as unknown as TaskJson
const actionInputs = Object.keys(
  (parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown> }).inputs
)

/** action.yml inputs without a task twin: the action signs in by itself, the task through its service connection. */
const ACTION_ONLY_INPUTS = [
  'auth',
  'client-id',
  'tenant-id',
  'subscription-id',
  'client-secret',
  'client-certificate',
  'creds',
  'audience',
  'environment',
  'arm-endpoint',
  'authority-host'
]
/** task.json inputs without an action twin. */
const TASK_ONLY_INPUTS = ['azureSubscription']
/** The task's name for an action input: `images-file` -> `imagesFile` (task.json allows only camelCase). */
const camelCase = (kebab: string): string => kebab.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase())
const input = (name: string): TaskInput | undefined => task.inputs.find((i) => i.name === name)

/** The official schema is draft-04: its `id` and unicode-less patterns need these Ajv settings. */
function officialSchemaValidator(): ReturnType<Ajv['compile']> {
  const {
    $schema: _draft,
    id: _id,
    ...schema
  } = readJson(join(repoRoot, '__tests__', 'task', 'schema', 'tasks.schema.json'))
  return new Ajv({ strict: false, allErrors: true, unicodeRegExp: false }).compile(schema)
}

describe('task.json', () => {
  it('is valid against the official task schema', () => {
    const validate = officialSchemaValidator()
    expect(validate(task) ? [] : validate.errors).toEqual([])
  })

  it('the schema check can fail: a kebab-case input name and an unknown key are rejected', () => {
    const validate = officialSchemaValidator()
    const broken = {
      ...task,
      unknownKey: true,
      inputs: [{ name: 'source-registry', label: 'x', type: 'string' }]
    }
    expect(validate(broken)).toBe(false)
  })

  it('has a fixed GUID, the name AcrImport, a short friendly name and an agent that runs Node20_1', () => {
    expect(task.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(task.name).toBe('AcrImport')
    expect(task.friendlyName.length).toBeGreaterThan(0)
    expect(task.friendlyName.length).toBeLessThanOrEqual(40)
    expect(task.category).toBe('Azure Pipelines')
    const [major, minor] = task.minimumAgentVersion.split('.').map(Number)
    // Node20_1 arrived in agent 3.230.2.
    expect(major * 1000 + minor).toBeGreaterThanOrEqual(3230)
  })

  it('declares the inputs in camelCase, each with help, in a declared group', () => {
    expect(task.inputs.map((i) => i.name).sort()).toEqual(
      [
        'azureSubscription',
        'registry',
        'source',
        'sourceRegistry',
        'image',
        'repository',
        'username',
        'password',
        'force',
        'wait',
        'timeout',
        'dryRun',
        'imagesFile',
        'trustPolicy',
        'concurrency',
        'skipUnchanged',
        'failFast',
        'shard',
        'tags',
        'referrers',
        'lock'
      ].sort()
    )
    const groups = task.groups.map((g) => g.name)
    for (const i of task.inputs) {
      expect(i.name).toMatch(/^[a-z][A-Za-z0-9]*$/)
      expect(i.helpMarkDown?.trim()).toBeTruthy()
      expect(groups).toContain(i.groupName)
    }
  })

  it('takes an AzureRM connection under the name Microsoft tasks use as its alias', () => {
    expect(input('azureSubscription')).toMatchObject({
      type: 'connectedService:AzureRM',
      required: true,
      aliases: ['connectedServiceNameARM']
    })
  })

  it('defaults to waiting, not forcing, not a dry run, ten minutes', () => {
    expect(input('wait')).toMatchObject({ type: 'boolean', defaultValue: 'true' })
    expect(input('force')).toMatchObject({ type: 'boolean', defaultValue: 'false' })
    expect(input('dryRun')).toMatchObject({ type: 'boolean', defaultValue: 'false' })
    expect(input('timeout')?.defaultValue).toBe('600')
    expect(input('image')?.type).toBe('multiLine')
    expect(input('repository')?.type).toBe('multiLine')
  })

  it('names only existing inputs in instanceNameFormat', () => {
    const referenced = [...task.instanceNameFormat.matchAll(/\$\((\w+)\)/g)].map((m) => m[1])
    expect(referenced.length).toBeGreaterThan(0)
    for (const name of referenced) expect(input(name)).toBeDefined()
  })

  it('has a title that reads well with source lines, an images file, or both', () => {
    const title = task.instanceNameFormat.replace(/\$\((\w+)\)/g, (_m, name: string) =>
      name === 'registry' ? 'prodacr' : ''
    )
    // Only the registry is always set: a title built from `source` would read "Import  into prodacr".
    expect(title).toBe('Import images into prodacr')
  })

  it('links its documentation', () => {
    expect(task.helpUrl).toMatch(/^https:\/\/github\.com\/[^/]+\/acr-import#azure-pipelines$/)
    expect(JSON.stringify(task)).toContain("run's Extensions tab")
  })

  it('shows the connection first, then the source, then the target, then the options', () => {
    expect(task.groups.map((g) => g.name)).toEqual(['connection', 'source', 'target', 'options'])
    const order = task.inputs.map((i) => i.groupName)
    const groupOrder = task.groups.map((g) => g.name)
    // Inputs appear in the form in array order, so each group's inputs must be contiguous and in group order.
    expect(order).toEqual([...order].sort((a, b) => groupOrder.indexOf(a!) - groupOrder.indexOf(b!)))
    expect(input('azureSubscription')?.groupName).toBe('connection')
    expect(input('source')?.groupName).toBe('source')
    expect(input('imagesFile')?.groupName).toBe('source')
    expect(input('registry')?.groupName).toBe('target')
  })

  it('picks the images file with the file picker, and says source or images file is needed', () => {
    expect(input('imagesFile')?.type).toBe('filePath')
    expect(input('trustPolicy')?.type).toBe('filePath')
    expect(input('source')?.required).toBe(false)
    expect(input('imagesFile')?.required).toBe(false)
    expect(input('source')?.helpMarkDown).toMatch(/\*\*Images file\*\*, or both/)
  })

  it('shows an input only where it applies, naming inputs that exist', () => {
    for (const i of task.inputs.filter((i) => i.visibleRule)) {
      for (const clause of i.visibleRule!.split(/\s*(?:&&|\|\|)\s*/)) {
        const match = /^(\w+) (=|!=) (.*)$/.exec(clause)
        expect({ input: i.name, clause, valid: !!match }).toEqual({ input: i.name, clause, valid: true })
        expect(input(match![1])).toBeDefined()
      }
    }
    expect(input('timeout')?.visibleRule).toBe('wait = true')
    expect(input('password')?.visibleRule).toBe('username != ""')
    expect(input('lock')?.visibleRule).toBe('wait = true')
    expect(input('referrers')?.visibleRule).toBe('wait = true')
    expect(input('tags')?.visibleRule).toBe('source != ""')
    // Never hide what every run needs.
    for (const name of ['azureSubscription', 'registry', 'source', 'imagesFile'])
      expect(input(name)?.visibleRule).toBeUndefined()
  })

  it('offers the target registries of the chosen connection, as Docker@1 does, and still takes a typed value', () => {
    expect(input('registry')).toMatchObject({
      type: 'pickList',
      required: true,
      properties: { EditableOptions: 'True' }
    })
    const bindings = task.dataSourceBindings ?? []
    expect(bindings).toHaveLength(1)
    const [binding] = bindings as DataSourceBinding[]
    expect(binding).toEqual({
      target: 'registry',
      endpointId: '$(azureSubscription)',
      dataSourceName: 'AzureRMContainerRegistries',
      resultTemplate: expect.any(String)
    })
    // The endpoint is the connection input the form has (not its alias, which the form does not know).
    expect(input('azureSubscription')?.type).toBe('connectedService:AzureRM')
    // One registry as ARM lists it: the value is its login server, the list shows its name.
    const registry = {
      id: '/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg-prod/providers/Microsoft.ContainerRegistry/registries/prodacr',
      name: 'prodacr',
      properties: { loginServer: 'prodacr.azurecr.io' }
    }
    expect(renderResultTemplate(binding.resultTemplate, registry)).toEqual({
      Value: 'prodacr.azurecr.io',
      DisplayValue: 'prodacr'
    })
  })

  it('declares the output variables the engine sets, described', () => {
    expect(task.outputVariables.map((o) => o.name)).toEqual(ENGINE_OUTPUTS.map(taskName))
    for (const o of task.outputVariables) expect(o.description?.trim()).toBeTruthy()
  })

  it('runs the same bundle on Node20_1 and Node24, and the bundle exists', () => {
    expect(Object.keys(task.execution).sort()).toEqual(['Node20_1', 'Node24'])
    expect(task.execution.Node20_1.target).toBe('dist/task/index.js')
    expect(task.execution.Node24.target).toBe(task.execution.Node20_1.target)
    expect(existsSync(join(repoRoot, task.execution.Node24.target))).toBe(true)
  })

  it('declares the camelCase twin of every action.yml input and nothing else, apart from each side’s sign-in', () => {
    const shared = actionInputs.filter((name) => !ACTION_ONLY_INPUTS.includes(name))
    const taskShared = task.inputs.map((i) => i.name).filter((name) => !TASK_ONLY_INPUTS.includes(name))
    expect(taskShared.sort()).toEqual(shared.map(camelCase).sort())
    // The exception lists name real inputs, so they cannot hide a removed or renamed one.
    for (const name of ACTION_ONLY_INPUTS) expect(actionInputs).toContain(name)
    for (const name of TASK_ONLY_INPUTS) expect(input(name)).toBeDefined()
  })

  it('declares exactly the engine inputs, in camelCase, plus the service connection', () => {
    expect(task.inputs.map((i) => i.name).sort()).toEqual(
      [...engineInputNames().map(taskName), 'azureSubscription'].sort()
    )
  })
})

describe('vss-extension.json', () => {
  const manifest = readJson(join(repoRoot, 'vss-extension.json')) as {
    manifestVersion: number
    id: string
    publisher: string
    version: string
    targets: { id: string }[]
    files: { path: string }[]
    contributions: { type: string; properties: { name: string } }[]
    icons?: { default: string }
  }

  it('contributes the task folder it ships', () => {
    expect(manifest.manifestVersion).toBe(1)
    expect(manifest.id).toBe('acr-import')
    expect(manifest.publisher).toBeTruthy()
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/)
    expect(manifest.targets).toEqual([{ id: 'Microsoft.VisualStudio.Services' }])
    const tasks = manifest.contributions.filter((c) => c.type === 'ms.vss-distributed-task.task')
    expect(tasks.map((c) => c.properties.name)).toEqual(['AcrImport'])
    expect(manifest.files.map((f) => f.path)).toContain('AcrImport')
  })

  it('points at an icon that is a PNG', () => {
    const icon = readFileSync(join(repoRoot, manifest.icons?.default ?? 'missing'))
    expect(icon.subarray(1, 4).toString()).toBe('PNG')
  })
})
