// The GitHub Action: the core runs the whole step through the action's host port.
import { runStep } from '../core/index.js'
import { createActionHost } from './host.js'

export async function run(): Promise<void> {
  await runStep(createActionHost())
}
