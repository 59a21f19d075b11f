// The secrets a run must never show, read from what the test bed saw on the wire: a bundle sends every credential
// it holds at some point, so the request log is the list of what to look for in its output.
import { expect } from '@jest/globals'
import type { Testbed } from '../testbed/types.js'
import type { HostRun } from './host.js'

/** Shorter values (a user name, `Bearer`) are not secrets and would match innocent text. */
const SHORTEST_SECRET = 8

/**
 * Every credential in `requests`: bearer tokens, basic credentials (encoded, and the password inside), the
 * managed identity header, and the tokens, assertions and passwords of form bodies.
 */
export function secretsOnTheWire(requests: Testbed['requests']): string[] {
  const secrets = new Set<string>()
  const add = (value: string | null | undefined): void => {
    if (value && value.length >= SHORTEST_SECRET) secrets.add(value)
  }
  for (const request of requests) {
    const authorization = request.headers.authorization
    for (const value of Array.isArray(authorization) ? authorization : [authorization]) {
      add(/^Bearer\s+(.+)$/i.exec(value ?? '')?.[1])
      const basic = /^Basic\s+(.+)$/i.exec(value ?? '')?.[1]
      add(basic)
      add(basic && Buffer.from(basic, 'base64').toString('utf8').split(':').slice(1).join(':'))
    }
    const identityHeader = request.headers['x-identity-header']
    add(Array.isArray(identityHeader) ? identityHeader[0] : identityHeader)
    if (!request.body) continue
    const form = new URLSearchParams(request.body)
    for (const field of ['client_assertion', 'client_secret', 'access_token', 'refresh_token', 'password']) {
      add(form.get(field))
    }
  }
  return [...secrets]
}

/** Fails when a secret of the run's environment, of `extra`, or of anything on the wire so far shows in the run. */
export function expectNoSecretShown(run: HostRun, testbed: Testbed, extra: string[] = []): string[] {
  const secrets = [...new Set([...run.ownSecrets, ...extra, ...secretsOnTheWire(testbed.requests)])]
  expect(secrets.filter((secret) => run.shown.includes(secret))).toEqual([])
  return secrets
}
