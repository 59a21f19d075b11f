// The Azure DevOps task: the core runs the whole step through the task's host port.
import { runStep } from '../core/index.js'
import { createTaskHost } from './host.js'

export async function run(): Promise<void> {
  await runStep(createTaskHost())
}
