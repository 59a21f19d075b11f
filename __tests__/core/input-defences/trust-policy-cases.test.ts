// The bad-input table's trust policy cases, run in-process through the request and the entries stage (the lead
// runs the whole table through the built bundles of each host): each is refused with its one line, before any
// request is possible, since nothing here has a network at all.
import { describe, expect, test } from '@jest/globals'
import { ENGINE_CASES } from '../../bad-input/engine-cases.js'
import { readRequest } from '../../../src/core/request/read-request.js'
import { build, refusal } from './defences-helpers.js'

/** What the e2e tables add each case's inputs to. */
const VALID_STEP: Record<string, string> = { registry: 'prodacr', source: 'docker.io/library/nginx:1.27' }

const trustCases = ENGINE_CASES.filter((badCase) => badCase.name.startsWith('trust policy:'))

describe('the trust policy cases of the bad-input table', () => {
  test('are there', () => {
    expect(trustCases.length).toBeGreaterThanOrEqual(15)
  })

  test.each(trustCases)('$name', (badCase) => {
    const inputs = { ...VALID_STEP, ...badCase.inputs }
    const line = refusal(() => build(readRequest((name) => inputs[name] ?? '')))
    expect(line).toMatch(badCase.line)
    expect(line).toMatch(/\.$/)
  })
})
