// A folder for the files a scenario's steps read (images files), made before the file's tests and removed after
// them. Steps name the files relative to it, as a workflow names them relative to its checkout.
import { afterAll } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface Workspace {
  folder: string
  /** Writes `name` with `text` and returns the name a step gives for it. */
  write(name: string, text: string): string
}

export function useWorkspace(prefix: string): Workspace {
  const folder = mkdtempSync(join(tmpdir(), `${prefix}-`))
  afterAll(() => rmSync(folder, { recursive: true, force: true }))
  return {
    folder,
    write: (name, text) => {
      writeFileSync(join(folder, name), text)
      return name
    }
  }
}
