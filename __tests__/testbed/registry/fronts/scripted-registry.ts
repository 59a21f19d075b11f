// registry.hostile.example: a registry whose every answer a test scripts (issue 17's red team ran a malicious
// registry of its own; this is it, inside the test bed). It serves a second name, other.example, with the same
// script: a registry that names another host (a Link, a realm) gets there only through this front, so every
// request a bundle sends to it lands in the test bed's request log instead of the proxy's 403, which logs nothing.
// Nothing is answered unless a test scripted it: any other request gets the distribution API's 404.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { HostileRegistry, HostRoutes, ScriptedAnswer, ScriptMatch } from '../../types.js'
import { sendRegistryError } from './distribution-errors.js'

export const HOSTILE_REGISTRY_HOST = 'registry.hostile.example'
/** Another host the hostile registry points at: nothing the step holds for the registry may reach it. */
export const ELSEWHERE_HOST = 'other.example'

type Script = ScriptedAnswer | ((req: IncomingMessage) => ScriptedAnswer)

export class ScriptedRegistry implements HostileRegistry {
  readonly host = HOSTILE_REGISTRY_HOST
  readonly elsewhere = ELSEWHERE_HOST
  private rules: { match: ScriptMatch; script: Script }[] = []
  /** Answers held open by a 'hang': a reset ends them, so a hang never outlives the test that scripted it. */
  private readonly hanging = new Set<ServerResponse>()

  script(match: ScriptMatch, answer: Script): void {
    this.rules.push({ match, script: answer })
  }

  reset(): void {
    this.rules = []
    this.hanging.forEach((res) => res.destroy())
    this.hanging.clear()
  }

  routes(): HostRoutes {
    const handler = (req: IncomingMessage, res: ServerResponse): Promise<void> | void => this.answer(req, res)
    return { [HOSTILE_REGISTRY_HOST]: handler, [ELSEWHERE_HOST]: handler }
  }

  private answer(req: IncomingMessage, res: ServerResponse): Promise<void> | void {
    const rule = this.rules.find(({ match }) => matches(match, req))
    if (!rule) {
      sendRegistryError(res, 404, 'NAME_UNKNOWN', 'The hostile registry has no script for this request.')
      return
    }
    const answer = typeof rule.script === 'function' ? rule.script(req) : rule.script
    if (answer === 'hang') return this.hang(res)
    return send(res, answer)
  }

  private hang(res: ServerResponse): Promise<void> {
    this.hanging.add(res)
    return new Promise((resolve) =>
      res.on('close', () => {
        this.hanging.delete(res)
        resolve()
      })
    )
  }
}

/** Every given field must match; a string path is the exact path (query aside), a RegExp is tested with it. */
function matches(match: ScriptMatch, req: IncomingMessage): boolean {
  const url = req.url ?? '/'
  const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase()
  if (match.host !== undefined && match.host.toLowerCase() !== host) return false
  if (match.method !== undefined && match.method.toUpperCase() !== req.method) return false
  return typeof match.path === 'string' ? url.split('?')[0] === match.path : match.path.test(url)
}

/** Writes the answer; a body given as chunks is streamed as the client reads it (a huge body costs no memory). */
async function send(res: ServerResponse, answer: Exclude<ScriptedAnswer, 'hang'>): Promise<void> {
  res.writeHead(answer.status, answer.headers ?? {})
  const { body } = answer
  if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) {
    res.end(body)
    return
  }
  for (const chunk of body) {
    if (res.destroyed) return
    if (!res.write(chunk)) await drainedOrClosed(res)
  }
  res.end()
}

function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done)
      res.off('close', done)
      resolve()
    }
    res.on('drain', done)
    res.on('close', done)
  })
}
