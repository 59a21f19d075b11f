// Finds the examples in the documentation and checks them against what the product accepts: every input of an
// acr-import step (`uses: …/acr-import@…` with its `with:`, `task: AcrImport@…` with its `inputs:`) must be one
// action.yml / task.json declares, and every images file must pass images-file.schema.json. Pure functions over
// Markdown text, so the test can also show that a wrong example is caught.
import { Ajv } from 'ajv'
import { parse } from 'yaml'

export interface CodeBlock {
  /** `README.md:123`, where the block starts. */
  where: string
  language: string
  text: string
  /** The `## ` heading the block is under (GitHub Actions, Azure Pipelines, Fleets: many images in one step, ...). */
  section: string
}

export interface KnownInputs {
  action: string[]
  /** task.json input names and their aliases. */
  task: string[]
}

/** Fenced YAML and JSON blocks of a Markdown file. */
export function codeBlocks(file: string, markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = []
  const lines = markdown.split('\n')
  let section = ''
  for (let i = 0; i < lines.length; i++) {
    const heading = /^## (.+)$/.exec(lines[i])
    if (heading) section = heading[1].trim()
    const fence = /^```(\w*)\s*$/.exec(lines[i])
    if (!fence) continue
    const end = lines.indexOf('```', i + 1)
    if (end < 0) throw new Error(`${file}:${i + 1}: a code block that never ends`)
    blocks.push({
      where: `${file}:${i + 1}`,
      language: fence[1],
      text: lines.slice(i + 1, end).join('\n'),
      section
    })
    i = end
  }
  return blocks.filter((block) => ['yaml', 'yml', 'json'].includes(block.language))
}

type Node = unknown
const isMap = (node: Node): node is Record<string, unknown> =>
  typeof node === 'object' && node !== null && !Array.isArray(node)

/** Every mapping in a parsed document, depth first. */
function mappings(node: Node): Record<string, unknown>[] {
  if (Array.isArray(node)) return node.flatMap(mappings)
  if (!isMap(node)) return []
  return [node, ...Object.values(node).flatMap(mappings)]
}

const keysOf = (node: Node): string[] => (isMap(node) ? Object.keys(node) : [])

/** What a block is: an images file, steps of either platform, or a fragment of one step's inputs. */
function parseBlock(block: CodeBlock): Node {
  // The "Other sources" style of fragment repeats a key per alternative; YAML allows that only when told.
  return parse(block.text, { uniqueKeys: false })
}

const isImagesFile = (document: Node): boolean => isMap(document) && Array.isArray(document.images)

/** Problems with the inputs of the acr-import steps in a block; [] when there are none. */
export function inputProblems(block: CodeBlock, known: KnownInputs): string[] {
  const document = parseBlock(block)
  if (isImagesFile(document)) return []
  const problems: string[] = []
  const check = (platform: 'action' | 'task', names: string[], where: string) => {
    for (const name of names) {
      if (!known[platform].includes(name))
        problems.push(
          `${block.where}: ${where} uses the input '${name}', which ${platform === 'action' ? 'action.yml' : 'task.json'} does not declare`
        )
    }
  }
  let steps = 0
  for (const map of mappings(document)) {
    if (typeof map.uses === 'string' && /(^|\/)acr-import@/.test(map.uses)) {
      steps++
      check('action', keysOf(map.with), `the step ${map.uses}`)
    }
    if (typeof map.task === 'string' && /^AcrImport@/.test(map.task)) {
      steps++
      check('task', keysOf(map.inputs), `the step ${map.task}`)
    }
  }
  if (
    steps > 0 ||
    mappings(document).some((map) => 'uses' in map || 'task' in map || 'steps' in map || 'jobs' in map)
  )
    return problems
  // A fragment: the inputs of one step (`with:` and its lines, or only the lines), placed by its section. YAML
  // elsewhere (another CI's configuration, say) is no step of ours.
  const platform = /GitHub Actions/.test(block.section)
    ? 'action'
    : /Azure Pipelines/.test(block.section)
      ? 'task'
      : undefined
  if (!platform) return []
  const inputs = isMap(document) && isMap(document.with) ? document.with : document
  check(platform, keysOf(inputs), 'the fragment')
  return problems
}

const ajv = new Ajv({ allErrors: true, strict: false })
const validators = new WeakMap<object, ReturnType<Ajv['compile']>>()
/** One compiled validator per schema: Ajv refuses a second schema with the same $id. */
function validatorOf(schema: object): ReturnType<Ajv['compile']> {
  const known = validators.get(schema)
  if (known) return known
  const validate = ajv.compile(schema)
  validators.set(schema, validate)
  return validate
}

/** Problems of the images files among the blocks, against the schema; [] when there are none. */
export function imagesFileProblems(block: CodeBlock, schema: object): string[] {
  const document = parseBlock(block)
  if (!isImagesFile(document) && !(isMap(document) && 'defaults' in document)) return []
  const validate = validatorOf(schema)
  if (validate(document)) return []
  return (validate.errors ?? []).map(
    (error) =>
      `${block.where}: the images file ${error.instancePath || '(top)'} ${error.message ?? 'is invalid'}`
  )
}

/** How many images files and acr-import steps the blocks hold (so a test sees that it checked something). */
export function census(blocks: CodeBlock[]): { imagesFiles: number; steps: number } {
  let imagesFiles = 0
  let steps = 0
  for (const block of blocks) {
    const document = parseBlock(block)
    if (isImagesFile(document)) imagesFiles++
    steps += mappings(document).filter(
      (map) =>
        (typeof map.uses === 'string' && /(^|\/)acr-import@/.test(map.uses)) ||
        (typeof map.task === 'string' && /^AcrImport@/.test(map.task))
    ).length
  }
  return { imagesFiles, steps }
}
