// Packages the Azure DevOps extension: writes package.json's version into task.json and vss-extension.json
// (scripts/sync-versions.mjs), stages build/vsix/{vss-extension.json, images/, overview.md, AcrImport/{task.json,
// dist/task/**}} (every path the manifest's `files` lists) and runs tfx on it. The task folder is staged for real (not mapped with packagePath) because tfx
// validates task.json, and the files its execution targets point at, only on disk under --root.
// Run it through `npm run package:vsix`, which builds dist/ first. Environment:
//   ACR_IMPORT_PUBLISHER  Marketplace publisher ID (default: the manifest's placeholder "acr-import")
//   ACR_IMPORT_VSIX       output file (default: build/acr-import.vsix)
//   ACR_IMPORT_PRIVATE    "true": package a private extension (no "Public" gallery flag), to share with your own
//                         organizations (`tfx extension publish --share-with`) instead of listing it publicly
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { syncVersions } from './sync-versions.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const stage = join(root, 'build', 'vsix')
const taskFolder = 'AcrImport'
const output = resolve(root, process.env.ACR_IMPORT_VSIX || join('build', 'acr-import.vsix'))

const { version } = syncVersions(root)
const manifest = JSON.parse(readFileSync(join(root, 'vss-extension.json'), 'utf8'))
const task = JSON.parse(readFileSync(join(root, 'task.json'), 'utf8'))
const contribution = manifest.contributions.find((c) => c.type === 'ms.vss-distributed-task.task')
if (contribution?.properties?.name !== taskFolder) {
  throw new Error(`vss-extension.json must contribute the task folder '${taskFolder}'`)
}

if (process.env.ACR_IMPORT_PRIVATE === 'true') {
  manifest.galleryFlags = (manifest.galleryFlags ?? []).filter((flag) => flag !== 'Public')
  manifest.public = false
}

rmSync(stage, { recursive: true, force: true })
mkdirSync(join(stage, taskFolder), { recursive: true })
writeFileSync(join(stage, 'vss-extension.json'), JSON.stringify(manifest, null, 2))
// The manifest's other files (icons, the Marketplace overview) are staged as they are in the repository.
for (const { path } of manifest.files) {
  if (path === taskFolder) continue
  if (!existsSync(join(root, path))) throw new Error(`vss-extension.json lists ${path}, which does not exist`)
  cpSync(join(root, path), join(stage, path), { recursive: true })
}
cpSync(join(root, 'task.json'), join(stage, taskFolder, 'task.json'))

// Every handler's target sits in a bundle folder (dist/task); the whole folder ships: index.js loads chunk files
// and its package.json says the bundle is ESM.
const bundleFolders = new Set(Object.values(task.execution).map((handler) => dirname(handler.target)))
for (const folder of bundleFolders) {
  if (!existsSync(join(root, folder))) throw new Error(`${folder} does not exist: run npm run build first`)
  cpSync(join(root, folder), join(stage, taskFolder, folder), { recursive: true })
}
for (const [name, handler] of Object.entries(task.execution)) {
  if (!existsSync(join(stage, taskFolder, handler.target)))
    throw new Error(`${name} target ${handler.target} is missing`)
}

mkdirSync(dirname(output), { recursive: true })
rmSync(output, { force: true })
const args = ['extension', 'create', '--root', stage, '--manifest-globs', 'vss-extension.json']
args.push('--output-path', output, '--no-prompt', '--no-color')
if (process.env.ACR_IMPORT_PUBLISHER) args.push('--publisher', process.env.ACR_IMPORT_PUBLISHER)
execFileSync(process.execPath, [join(root, 'node_modules', 'tfx-cli', '_build', 'tfx-cli.js'), ...args], {
  cwd: stage,
  stdio: 'inherit'
})
if (!existsSync(output)) throw new Error(`tfx did not write ${output}`)
console.log(`Packaged ${output} (version ${version})`)
