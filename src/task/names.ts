// task.json names inputs and outputs in camelCase (its schema allows nothing else); the engine names them as
// action.yml does, in kebab-case.

/** `images-file` -> `imagesFile`. */
export function taskName(actionName: string): string {
  return actionName.replace(/-([a-z])/g, (_match, letter: string) => letter.toUpperCase())
}
