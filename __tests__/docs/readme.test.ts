// The examples in the README, overview.md and docs/ are what users copy: each acr-import step may only use
// inputs that action.yml or task.json declares, and each images file must pass images-file.schema.json.
import { describe, expect, it } from '@jest/globals'
import { readFileSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { parse } from 'yaml'
import { repoRoot } from '../task/agent.js'
import { census, codeBlocks, imagesFileProblems, inputProblems, type KnownInputs } from './doc-examples.js'

const read = (path: string): string => readFileSync(join(repoRoot, path), 'utf8')

function markdownUnder(folder: string): string[] {
  return readdirSync(join(repoRoot, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.md'))
    .map((name) => relative(repoRoot, join(repoRoot, folder, name)))
}

const DOCUMENTS = ['README.md', 'overview.md', ...markdownUnder('docs')]
const blocks = DOCUMENTS.flatMap((file) => codeBlocks(file, read(file)))

const task = JSON.parse(read('task.json')) as { inputs: { name: string; aliases?: string[] }[] }
const known: KnownInputs = {
  action: Object.keys((parse(read('action.yml')) as { inputs: Record<string, unknown> }).inputs),
  task: task.inputs.flatMap((input) => [input.name, ...(input.aliases ?? [])])
}
const schema = JSON.parse(read('images-file.schema.json')) as object

describe('the documentation’s examples', () => {
  it('are found: steps of both platforms and images files', () => {
    const { imagesFiles, steps } = census(blocks)
    expect(steps).toBeGreaterThanOrEqual(15)
    expect(imagesFiles).toBeGreaterThanOrEqual(4)
  })

  it('use only inputs that action.yml and task.json declare', () => {
    expect(blocks.flatMap((block) => inputProblems(block, known))).toEqual([])
  })

  it('have images files that pass images-file.schema.json', () => {
    expect(blocks.flatMap((block) => imagesFileProblems(block, schema))).toEqual([])
  })
})

describe('the check itself', () => {
  const markdown = (yaml: string, section = 'Fleets') =>
    codeBlocks('example.md', `## ${section}\n\n\`\`\`yaml\n${yaml}\n\`\`\`\n`)

  it('finds an input the action does not have, and one the task does not have', () => {
    const action = markdown(
      'steps:\n  - uses: contoso/acr-import@v1\n    with:\n      registry: prodacr\n      target-tag: x'
    )
    expect(action.flatMap((block) => inputProblems(block, known))).toEqual([
      "example.md:3: the step contoso/acr-import@v1 uses the input 'target-tag', which action.yml does not declare"
    ])
    const pipeline = markdown(
      'steps:\n  - task: AcrImport@1\n    inputs:\n      registry: prodacr\n      images-file: a.yaml'
    )
    expect(pipeline.flatMap((block) => inputProblems(block, known))).toEqual([
      "example.md:3: the step AcrImport@1 uses the input 'images-file', which task.json does not declare"
    ])
  })

  it('checks a fragment of inputs by the section it is in', () => {
    const fragment = markdown('with:\n  registry: prodacr\n  imagesFile: a.yaml', 'GitHub Actions')
    expect(fragment.flatMap((block) => inputProblems(block, known))).toEqual([
      "example.md:3: the fragment uses the input 'imagesFile', which action.yml does not declare"
    ])
  })

  it('finds an images file the schema refuses', () => {
    const file = markdown('images:\n  - source: docker.io/library/nginx:1.27\n    tag: base/nginx')
    expect(file.flatMap((block) => imagesFileProblems(block, schema)).length).toBeGreaterThan(0)
  })
})
