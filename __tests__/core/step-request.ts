// A valid StepRequest with every default, for the stage tests to change what they test.
import type { StepRequest } from '../../src/core/request/step-request.js'

export const stepRequest = (overrides: Partial<StepRequest>): StepRequest => ({
  registry: 'prodacr',
  sourceLines: [],
  images: [],
  repositories: [],
  force: false,
  wait: true,
  timeoutSeconds: 600,
  dryRun: false,
  concurrency: 'auto',
  skipUnchanged: true,
  failFast: false,
  referrers: true,
  lock: false,
  ...overrides
})
