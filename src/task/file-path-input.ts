// task.json declares `imagesFile` and `trustPolicy` as filePath inputs, so the form offers a file picker. The agent
// then makes the value absolute before the task starts, and an input left empty arrives as the repository's folder
// itself (agent TaskRunner.TranslateFilePathInput; task-lib's filePathSupplied tests for it the same way). That
// folder means "no file given".
import { resolve } from 'node:path'
import * as tl from 'azure-pipelines-task-lib/task.js'

/** The path the user gave, or '' when the agent filled in the folder an empty filePath input resolves to. */
export function suppliedFilePath(value: string): string {
  const path = value.trim()
  if (!path) return ''
  const roots = ['Build.SourcesDirectory', 'System.DefaultWorkingDirectory']
    .map((name) => tl.getVariable(name))
    .filter((root): root is string => !!root)
    .map((root) => resolve(root))
  return roots.includes(resolve(path)) ? '' : path
}
